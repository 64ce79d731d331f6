import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

describe("logger", () => {
  it("P02 never writes SQL parameters, tokens or secrets, even inside errors and their causes", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(line) } });
    const cause = Object.assign(new Error("invalid byte sequence"), { code: "22021" });
    const failed = Object.assign(new Error('Failed query: insert into "play_users" values ($1, $2)\nparams: fan_1,v1.k1.SEALED-ACCESS-TOKEN'), {
      query: 'insert into "play_users" values ($1, $2)',
      params: ["fan_1", "v1.k1.SEALED-ACCESS-TOKEN"],
      cause,
    });
    logger.error({ err: failed, headers: { authorization: "Bearer BQC-TOKEN", cookie: "play_spotify_uid=x" }, tokens: { access_token: "BQC-TOKEN", refresh_token: "AQD-REFRESH" } }, "boom");
    const text = lines.join("\n");
    expect(text).toContain("Failed query");
    expect(text).toContain("22021");
    for (const secret of ["SEALED-ACCESS-TOKEN", "BQC-TOKEN", "AQD-REFRESH", "play_spotify_uid=x", "fan_1"]) expect(text).not.toContain(secret);
  });
});
