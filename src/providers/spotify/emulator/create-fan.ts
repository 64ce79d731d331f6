import { randomBytes } from "node:crypto";
import { countRegisteredFans } from "./count-registered-fans";
import type { EmulatedDevice, EmulatedFan, EmulatorState } from "./create-emulator-state";
import { EmulatorInputError } from "./emulator-input-error";

/** Spotify's development-mode allow-list size (February 2026 rules). */
export const DEVELOPMENT_MODE_USER_LIMIT = 5;

export interface CreateFanInput {
  /** Spotify user id; generated when omitted. */
  id?: string;
  displayName: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  product?: "premium" | "free";
  email?: string;
  /** Development mode: on the dashboard allow-list. Default: true while fewer than 5 are. */
  registered?: boolean;
  /** Default true: one active "Web Player" device; false: one inactive speaker. */
  hasActiveDevice?: boolean;
  /** Replaces the default devices entirely (e.g. `[]` for none at all). */
  devices?: Array<Omit<EmulatedDevice, "id"> & { id?: string }>;
}

function alnum(length: number): string {
  const chars = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += chars[b % chars.length];
  return out;
}

/**
 * Creates an emulated Spotify user. In development quota mode at most 5 fans can be
 * registered (the dashboard refuses a sixth); unregistered fans can still authorize.
 */
export function createFan(state: EmulatorState, input: CreateFanInput): EmulatedFan {
  const development = state.options.quotaMode === "development";
  const registeredCount = countRegisteredFans(state);
  const registered = input.registered ?? (!development || registeredCount < DEVELOPMENT_MODE_USER_LIMIT);
  if (development && registered && registeredCount >= DEVELOPMENT_MODE_USER_LIMIT) {
    throw new EmulatorInputError(`development mode allows ${DEVELOPMENT_MODE_USER_LIMIT} registered users`, 409);
  }
  const id = input.id ?? alnum(25);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new EmulatorInputError("fan id must be 1–64 letters, digits, . _ -");
  if (state.fans.has(id)) throw new EmulatorInputError(`fan ${id} exists`, 409);
  const country = (input.country ?? "US").toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw new EmulatorInputError("country must be ISO 3166-1 alpha-2");

  const defaults: EmulatedDevice[] =
    input.hasActiveDevice === false
      ? [{ id: randomBytes(20).toString("hex"), name: "Living Room Speaker", type: "Speaker", isActive: false, volumePercent: 40 }]
      : [{ id: randomBytes(20).toString("hex"), name: "Web Player (Chrome)", type: "Computer", isActive: true, volumePercent: 70 }];
  const devices = input.devices ? input.devices.map((d) => ({ ...d, id: d.id ?? randomBytes(20).toString("hex") })) : defaults;

  const fan: EmulatedFan = {
    id,
    accountId: alnum(10),
    displayName: input.displayName,
    country,
    product: input.product ?? "premium",
    email: input.email ?? `${id}@fans.example.com`,
    registered,
    devices,
    playback: null,
    library: new Map(),
    followed: new Map(),
    plays: [],
    createdAt: state.options.clock.now(),
  };
  state.fans.set(id, fan);
  return fan;
}
