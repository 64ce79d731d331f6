import type { ConversionsConfig } from "../../config";
import type { ConversionPlatform } from "../../db/schema/conversion-delivery";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { ConversionSink } from "../../providers/conversion-sink/port";
import { createGoogleDataManager } from "../../providers/google/client/index";
import { createMetaConversions } from "../../providers/meta/client/index";
import { createRedditConversions } from "../../providers/reddit/client/index";

/** Every platform has its adapter: a missing one is a compile error. */
export type ConversionSinks = Record<ConversionPlatform, ConversionSink>;

/** The `ConversionSink` registry for the configured API origins (live or emulators). */
export function createConversionSinks(config: ConversionsConfig, deps: { clock: Clock; fetch?: typeof fetch; logger?: Logger; timeoutMs?: number }): ConversionSinks {
  const common = { clock: deps.clock, ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) };
  return {
    meta: createMetaConversions({ ...common, graphUrl: config.metaGraphUrl, ...(deps.logger ? { logger: deps.logger.child({ provider: "meta" }) } : {}) }),
    google: createGoogleDataManager({ ...common, baseUrl: config.googleDataManagerUrl, ...(deps.logger ? { logger: deps.logger.child({ provider: "google" }) } : {}) }),
    reddit: createRedditConversions({ ...common, baseUrl: config.redditAdsUrl, ...(deps.logger ? { logger: deps.logger.child({ provider: "reddit" }) } : {}) }),
  };
}
