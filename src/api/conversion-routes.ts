import type { OpenAPIHono } from "@hono/zod-openapi";
import {
  createConversionDestination,
  getConversionDelivery,
  getConversionHealth,
  listConversionDeliveries,
  listConversionDestinations,
  listConversionMappings,
  sendTestConversion,
  setConversionMapping,
  updateConversionDestination,
} from "../modules/conversions/index";
import type { ApiEnv } from "./api-env";
import {
  ConversionDelivery,
  ConversionDeliveryDetail,
  ConversionDestination,
  ConversionDestinationInput,
  ConversionDestinationList,
  ConversionDestinationPatch,
  ConversionHealth,
  ConversionMappingInput,
  ConversionMappingList,
  ConversionMappingResult,
  DeliveryQuery,
  HealthQuery,
  TestConversionInput,
  TestConversionResult,
} from "./conversion-schemas";
import { page } from "./api-schemas";
import { defineApiRoute, sendJson } from "./define-api-route";
import { readPageQuery } from "./read-page-query";

const TAG = "Conversions";
const BASE = "/artists/{artistId}/conversions";

/**
 * `/artists/{artistId}/conversions/…`: destinations (Meta, Google, Reddit), the event
 * mapping, the delivery log with each attempt, health per destination, test events.
 * Reads: viewers, keys with `read`. Writes: destinations admins, mapping and test events
 * editors; keys with `conversions.write`. Another tenant's artist answers 404. Access
 * tokens are write-only.
 */
export function conversionRoutes(api: OpenAPIHono<ApiEnv>): void {
  const artistId = (c: { req: { param(name: string): string | undefined } }) => c.req.param("artistId")!;
  defineApiRoute(api, { method: "get", path: `${BASE}/destinations`, tag: TAG, summary: "The artist's conversion destinations (tokens never included)", ok: { status: 200, description: "Destinations", schema: ConversionDestinationList } }, async (c) =>
    sendJson(c, 200, await listConversionDestinations({ ctx: c.get("ctx"), input: { artistId: artistId(c) } })),
  );
  defineApiRoute(
    api,
    {
      method: "post",
      path: `${BASE}/destinations`,
      tag: TAG,
      summary: "Add a destination on a platform (artist admin)",
      description: "One destination per platform: 409 when the artist has one already (change it with PATCH). The access token is sealed at rest and never returned.",
      body: ConversionDestinationInput,
      idempotent: true,
      ok: { status: 201, description: "Added", schema: ConversionDestination },
    },
    async (c) => sendJson(c, 201, await createConversionDestination({ ctx: c.get("ctx"), input: { artistId: artistId(c), body: await c.req.json() } })),
  );
  defineApiRoute(
    api,
    {
      method: "patch",
      path: `${BASE}/destinations/{destinationId}`,
      tag: TAG,
      summary: "Change or disable a destination (artist admin)",
      description: "Any of the fields; `enabled: false` disables it (queued deliveries are dropped, nothing new is queued). A field left out is unchanged; a change that changes nothing writes nothing.",
      body: ConversionDestinationPatch,
      ok: { status: 200, description: "The destination now", schema: ConversionDestination },
    },
    async (c) => sendJson(c, 200, await updateConversionDestination({ ctx: c.get("ctx"), input: { artistId: artistId(c), destinationId: c.req.param("destinationId")!, body: await c.req.json() } })),
  );
  defineApiRoute(
    api,
    {
      method: "post",
      path: `${BASE}/destinations/{destinationId}/test`,
      tag: TAG,
      summary: "Send a test event through a destination (editor+)",
      description: "One synthetic event in the platform's test mode (Meta `test_event_code`, Reddit `test_id`, Google `validateOnly`); 400 naming `testCode` when the destination has none. Nothing is queued; the answer is the platform's verdict.",
      body: TestConversionInput,
      idempotent: true,
      ok: { status: 200, description: "The platform's verdict", schema: TestConversionResult },
    },
    async (c) => {
      const body = (await c.req.json()) as { eventType?: unknown };
      return sendJson(c, 200, await sendTestConversion({ ctx: c.get("ctx"), input: { artistId: artistId(c), destinationId: c.req.param("destinationId")!, eventType: body.eventType } }));
    },
  );

  defineApiRoute(api, { method: "get", path: `${BASE}/mappings`, tag: TAG, summary: "Event mapping: every platform × event type, overrides over the defaults", ok: { status: 200, description: "15 rows", schema: ConversionMappingList } }, async (c) =>
    sendJson(c, 200, await listConversionMappings({ ctx: c.get("ctx"), input: { artistId: artistId(c) } })),
  );
  defineApiRoute(
    api,
    {
      method: "put",
      path: `${BASE}/mappings/{platform}/{eventType}`,
      tag: TAG,
      summary: "Set the mapping of one event type on one platform (editor+)",
      description: "Name, on/off and value; a field left out takes its default.",
      body: ConversionMappingInput,
      ok: { status: 200, description: "The override now stored", schema: ConversionMappingResult },
    },
    async (c) => {
      const body = (await c.req.json()) as Record<string, unknown>;
      const { artistId: _id, ...result } = await setConversionMapping({ ctx: c.get("ctx"), input: { ...body, artistId: artistId(c), platform: c.req.param("platform"), eventType: c.req.param("eventType") } });
      return sendJson(c, 200, result);
    },
  );

  defineApiRoute(
    api,
    { method: "get", path: `${BASE}/deliveries`, tag: TAG, summary: "Delivery log, newest first", description: "One row per (event, destination) with its status, attempts and reason.", query: DeliveryQuery, ok: { status: 200, description: "A page", schema: page(ConversionDelivery, "ConversionDeliveryPage") } },
    async (c) =>
      sendJson(
        c,
        200,
        await listConversionDeliveries({
          ctx: c.get("ctx"),
          input: { artistId: artistId(c), ...readPageQuery(c), destinationId: c.req.query("destinationId") || undefined, status: c.req.query("status") || undefined, eventType: c.req.query("eventType") || undefined },
        }),
      ),
  );
  defineApiRoute(api, { method: "get", path: `${BASE}/deliveries/{deliveryId}`, tag: TAG, summary: "One delivery with every attempt and the platform's responses", ok: { status: 200, description: "The delivery", schema: ConversionDeliveryDetail } }, async (c) =>
    sendJson(c, 200, await getConversionDelivery({ ctx: c.get("ctx"), input: { artistId: artistId(c), deliveryId: c.req.param("deliveryId")! } })),
  );
  defineApiRoute(
    api,
    { method: "get", path: `${BASE}/health`, tag: TAG, summary: "Health per destination: delivered, rejected, dropped, pending, deduplicated, match keys present, reasons", query: HealthQuery, ok: { status: 200, description: "Per destination", schema: ConversionHealth } },
    async (c) => {
      const from = c.req.query("from") || undefined;
      const to = c.req.query("to") || undefined;
      const data = await getConversionHealth({ ctx: c.get("ctx"), input: { artistId: artistId(c), from, to } });
      return sendJson(c, 200, { from: from ?? null, to: to ?? null, data });
    },
  );
}
