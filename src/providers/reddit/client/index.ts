export { createRedditConversions, REDDIT_CAPI_BATCH_LIMIT } from "./create-reddit-conversions";
