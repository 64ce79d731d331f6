export * from "./play";
export * from "./attribution";
export * from "./privacy";
export * from "./auth";
export * from "./accounts";
export * from "./analytics";
export * from "./conversions";
export * from "./conversion-delivery";
