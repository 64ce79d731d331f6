export * from "./play";
export * from "./attribution";
