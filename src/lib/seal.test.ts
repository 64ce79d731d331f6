import { describe, expect, it } from "vitest";
import { needsReseal, open, seal, type KeyRing } from "./seal";

const ring = (active: string, ...ids: string[]): KeyRing => ({
  activeKeyId: active,
  keys: new Map(ids.map((id, i) => [id, Buffer.alloc(32, i + 1)])),
});
const place = { table: "play_users", column: "access_token", rowId: "fan_1" };

describe("seal / open", () => {
  it("P01 round-trips and names format version and key id in the envelope", () => {
    const r = ring("k1", "k1");
    const envelope = seal(r, place, "BQC-secret-token");
    expect(envelope.startsWith("v1.k1.")).toBe(true);
    expect(envelope).not.toContain("BQC-secret-token");
    expect(open(r, place, envelope)).toBe("BQC-secret-token");
  });

  it("P01 uses a random 96-bit nonce: the same plaintext seals differently", () => {
    const r = ring("k1", "k1");
    const a = seal(r, place, "x");
    const b = seal(r, place, "x");
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split(".")[2]!, "base64url")).toHaveLength(12);
    expect(Buffer.from(a.split(".")[4]!, "base64url")).toHaveLength(16);
  });

  it("P01 a ciphertext copied to another row or column does not open", () => {
    const r = ring("k1", "k1");
    const envelope = seal(r, place, "token");
    expect(() => open(r, { ...place, rowId: "fan_2" }, envelope)).toThrow(/authentication failed/);
    expect(() => open(r, { ...place, column: "refresh_token" }, envelope)).toThrow(/authentication failed/);
  });

  it("P01 rejects a truncated tag and a tampered body", () => {
    const r = ring("k1", "k1");
    const parts = seal(r, place, "token").split(".");
    const shortTag = [...parts.slice(0, 4), Buffer.from(parts[4]!, "base64url").subarray(0, 12).toString("base64url")].join(".");
    expect(() => open(r, place, shortTag)).toThrow(/tag shorter/);
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    expect(() => open(r, place, [...parts.slice(0, 3), body.toString("base64url"), parts[4]].join("."))).toThrow(/authentication failed/);
  });

  it("P01 key rotation: the new active key seals, old keys still open, old envelopes need a reseal", () => {
    const old = ring("k1", "k1");
    const envelope = seal(old, place, "token");
    const rotated = ring("k2", "k1", "k2");
    expect(open(rotated, place, envelope)).toBe("token");
    expect(needsReseal(rotated, envelope)).toBe(true);
    const fresh = seal(rotated, place, "token");
    expect(fresh.split(".")[1]).toBe("k2");
    expect(needsReseal(rotated, fresh)).toBe(false);
    expect(() => open(ring("k3", "k3"), place, envelope)).toThrow(/not on the key ring/);
  });
});
