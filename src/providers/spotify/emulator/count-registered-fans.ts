import type { EmulatorState } from "./create-emulator-state";

/** Fans on the development-mode allow-list (the dashboard's "Users and Access"). */
export function countRegisteredFans(state: EmulatorState): number {
  return [...state.fans.values()].filter((f) => f.registered).length;
}
