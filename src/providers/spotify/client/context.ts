import type { z } from "zod";
import type { SpotifyConfig } from "../../../config";
import type { Clock } from "../../../lib/clock";
import type { HttpClient, HttpRequest } from "../../../lib/http";
import type { Logger } from "../../../lib/logger";

/** What the client's verbs share: config, the two HTTP clients (Accounts, Web API), clock, logger. */
export interface SpotifyContext {
  config: SpotifyConfig;
  clock: Clock;
  logger: Logger;
  /** Base: `config.accountsUrl`. */
  accounts: HttpClient;
  /** Base: `config.apiUrl` (includes `/v1`). */
  api: HttpClient;
}

/** A Web API request without credentials; the caller adds the bearer token. */
export type ApiRequest<S extends z.ZodType> = Omit<HttpRequest<S>, "headers" | "secrets" | "form">;

/** Sends a Web API request with the right access token (app or fan), refreshing as needed. */
export type ApiCaller = <S extends z.ZodType>(req: ApiRequest<S>) => Promise<z.output<S>>;

export interface SpotifyDeps {
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}
