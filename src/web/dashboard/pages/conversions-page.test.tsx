import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { CONVERSION_EVENT_TYPES, CONVERSION_PLATFORMS, type ConversionDelivery, type ConversionDeliveryDetail, type ConversionDestination, type ConversionHealth, type ConversionMapping } from "../lib/conversion-types";
import { meFixture, NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi, type RecordedCall } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const BASE = "/api/v1/artists/art_pit/conversions";
const META: ConversionDestination = { id: "cds_meta", artistId: "art_pit", platform: "meta", accountId: "1234567890123", conversionActionId: null, testCode: "TEST123", enabled: true, accessToken: { set: true, last4: "9xYz" }, createdAt: NOW, updatedAt: NOW };
const DEFAULTS: Record<string, Record<string, string>> = {
  meta: { SERVICE_CLICK: "ViewContent", PRESAVE: "Lead", SAVE_TRACK: "Subscribe", FOLLOW_ARTIST: "Subscribe", STREAM: "Stream" },
  google: { SERVICE_CLICK: "service_click", PRESAVE: "presave", SAVE_TRACK: "save_track", FOLLOW_ARTIST: "follow_artist", STREAM: "stream" },
  reddit: { SERVICE_CLICK: "ViewContent", PRESAVE: "Lead", SAVE_TRACK: "SignUp", FOLLOW_ARTIST: "SignUp", STREAM: "Stream" },
};
const MAPPINGS: ConversionMapping[] = CONVERSION_PLATFORMS.flatMap((platform) =>
  CONVERSION_EVENT_TYPES.map((eventType) => ({ platform, eventType, defaultEventName: DEFAULTS[platform]![eventType]!, eventName: null, enabled: true, valueMinor: null, currency: null, overridden: false, updatedAt: null })),
);
const HEALTH: ConversionHealth = {
  from: "2026-11-02",
  to: "2026-11-29",
  data: [{ destinationId: "cds_meta", platform: "meta", enabled: true, pending: 2, delivered: 40, rejected: 3, dropped: 5, deduplicated: 1, matchKeys: { fbc: 40, external_id: 30 }, reasons: { no_click_id: 5, "Invalid parameter": 3 } }],
};
const delivery = (n: number, patch: Partial<ConversionDelivery> = {}): ConversionDelivery => ({
  id: `cvo_${n}`,
  eventId: `evt_${n}`,
  eventType: "SAVE_TRACK",
  occurredAt: NOW,
  destinationId: "cds_meta",
  platform: "meta",
  status: "delivered",
  attempts: 1,
  reason: null,
  deduplicated: false,
  matchKeys: ["fbc", "external_id"],
  nextAttemptAt: NOW,
  deliveredAt: NOW,
  createdAt: NOW,
  updatedAt: NOW,
  ...patch,
});
// The page is a lazily loaded chunk with four queries: under a loaded machine the first render takes a while.
const FIRST = { timeout: 5000 };
const REJECTED = delivery(2, { status: "rejected", attempts: 2, reason: "Invalid parameter", deliveredAt: null });
const DETAIL: ConversionDeliveryDetail = {
  ...REJECTED,
  attemptLog: [
    { id: "cva_1", status: "retry", httpStatus: 429, responseExcerpt: '{"error":{"message":"Too many calls"}}', durationMs: 120, attemptedAt: NOW },
    { id: "cva_2", status: "rejected", httpStatus: 400, responseExcerpt: '{"error":{"message":"(#100) Invalid parameter","error_user_msg":"event_time is too far in the past"}}', durationMs: 95, attemptedAt: NOW },
  ],
};

function routes(role: "admin" | "editor" | "viewer" = "admin") {
  return {
    ...signedInRoutes(meFixture(role)),
    [`GET ${BASE}/destinations`]: { body: { data: [META] } },
    [`GET ${BASE}/mappings`]: { body: { data: MAPPINGS } },
    [`GET ${BASE}/health`]: { body: HEALTH },
    [`GET ${BASE}/deliveries`]: (call: RecordedCall) =>
      call.search.get("status") === "rejected" ? { body: { data: [REJECTED], nextCursor: null } } : call.search.get("cursor") ? { body: { data: [delivery(3)], nextCursor: null } } : { body: { data: [delivery(1), REJECTED], nextCursor: "c2" } },
    [`GET ${BASE}/deliveries/cvo_2`]: { body: DETAIL },
  };
}

describe("conversions page", () => {
  it("shows health per destination and the destinations without their token; connecting a platform checks each field, then shows the API's message beside the field it names", async () => {
    const api = mockApi({
      ...routes(),
      [`POST ${BASE}/destinations`]: { status: 400, body: { error: { code: "BAD_REQUEST", message: "accountId: pixel not found", requestId: "req_1", details: [{ field: "accountId", message: "Reddit does not know this pixel" }] } } },
    });
    renderApp("/app/artists/art_pit/conversions");
    const health = await screen.findByRole("region", { name: "Meta health" }, FIRST);
    expect(within(health).getByText("40")).toBeTruthy();
    expect(health.textContent).toContain("fbc 40 (100%)");
    expect(health.textContent).toContain("external_id 30 (75%)");
    expect(health.textContent).toContain("Fan did not come from this platform's ad 5");
    const healthCall = api.callsTo(`GET ${BASE}/health`)[0]!;
    expect((Date.parse(healthCall.search.get("to")!) - Date.parse(healthCall.search.get("from")!)) / 86_400_000).toBe(27);

    const meta = screen.getByRole("region", { name: /^Meta On/ });
    expect(meta.textContent).toContain("Set (ends …9xYz)");
    expect(meta.textContent).toContain("TEST123");

    await userEvent.click(screen.getByRole("button", { name: "Connect Reddit" }));
    const form = screen.getByRole("form", { name: "Reddit destination" });
    await userEvent.click(within(form).getByRole("button", { name: "Connect Reddit" }));
    expect(within(form).getByText("Enter the ID.")).toBeTruthy();
    expect(within(form).getByText("Enter the access token.")).toBeTruthy();
    expect(within(form).getByLabelText("Pixel ID").getAttribute("aria-invalid")).toBe("true");
    expect(api.callsTo(`POST ${BASE}/destinations`)).toHaveLength(0);

    await userEvent.type(within(form).getByLabelText("Pixel ID"), "a2_abc123");
    await userEvent.type(within(form).getByLabelText("Conversion access token"), "tok has space");
    await userEvent.click(within(form).getByRole("button", { name: "Connect Reddit" }));
    expect(within(form).getByText("The token is at least 8 characters, without spaces.")).toBeTruthy();
    await userEvent.clear(within(form).getByLabelText("Conversion access token"));
    await userEvent.type(within(form).getByLabelText("Conversion access token"), "reddit-token-123456789");
    await userEvent.type(within(form).getByLabelText("Test ID"), "t2_test");
    await userEvent.click(within(form).getByRole("button", { name: "Connect Reddit" }));
    expect(await within(form).findByText("Reddit does not know this pixel")).toBeTruthy();
    const post = api.callsTo(`POST ${BASE}/destinations`)[0]!;
    expect(post.body).toEqual({ platform: "reddit", accountId: "a2_abc123", accessToken: "reddit-token-123456789", testCode: "t2_test", enabled: true });
    expect(post.headers.get("Idempotency-Key")).toBeTruthy();
    // The token never shows on the page: the input is a password field.
    expect(within(form).getByLabelText("Conversion access token").getAttribute("type")).toBe("password");
  });

  it("connecting the first platform refreshes Health: it no longer says there are no destinations", async () => {
    let connected = false;
    mockApi({
      ...routes(),
      [`GET ${BASE}/destinations`]: () => ({ body: { data: connected ? [META] : [] } }),
      [`GET ${BASE}/health`]: () => ({ body: connected ? { ...HEALTH, data: [{ ...HEALTH.data[0]!, pending: 0, delivered: 0, rejected: 0, dropped: 0, deduplicated: 0, matchKeys: {}, reasons: {} }] } : { ...HEALTH, data: [] } }),
      [`POST ${BASE}/destinations`]: () => {
        connected = true;
        return { status: 201, body: META };
      },
    });
    renderApp("/app/artists/art_pit/conversions");
    expect(await screen.findByText(/No destinations yet/, undefined, FIRST)).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Connect Meta" }));
    const form = screen.getByRole("form", { name: "Meta destination" });
    await userEvent.type(within(form).getByLabelText("Pixel / dataset ID"), "1234567890123");
    await userEvent.type(within(form).getByLabelText("Conversions API access token"), "EAAtoken123456");
    await userEvent.click(within(form).getByRole("button", { name: "Connect Meta" }));
    expect(await screen.findByRole("region", { name: "Meta health" })).toBeTruthy();
    expect(screen.queryByText(/No destinations yet/)).toBeNull();
  });

  it("changes a destination without resending the token unless typed, turns it off, and sends a test event", async () => {
    const api = mockApi({
      ...routes(),
      [`PATCH ${BASE}/destinations/cds_meta`]: (call) => ({ body: { ...META, ...(call.body as object) } }),
      [`POST ${BASE}/destinations/cds_meta/test`]: { body: { eventId: "tst_1", eventName: "Subscribe", status: "accepted", reason: null, httpStatus: 200, responseExcerpt: '{"events_received":1}', durationMs: 80, sentAt: NOW } },
    });
    renderApp("/app/artists/art_pit/conversions");
    await screen.findByRole("region", { name: /^Meta On/ }, FIRST);
    await userEvent.click(screen.getByRole("button", { name: "Change Meta destination" }));
    const form = screen.getByRole("form", { name: "Meta destination" });
    expect(within(form).getByText(/A token is set \(ends …9xYz\)\. Leave blank to keep it\./)).toBeTruthy();
    await userEvent.clear(within(form).getByLabelText("Pixel / dataset ID"));
    await userEvent.type(within(form).getByLabelText("Pixel / dataset ID"), "12ab");
    await userEvent.click(within(form).getByRole("button", { name: "Save changes" }));
    expect(within(form).getByText("A Meta pixel / dataset ID is 5 to 20 digits.")).toBeTruthy();
    await userEvent.clear(within(form).getByLabelText("Pixel / dataset ID"));
    await userEvent.type(within(form).getByLabelText("Pixel / dataset ID"), "99999999");
    await userEvent.click(within(form).getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(api.callsTo(`PATCH ${BASE}/destinations/cds_meta`)).toHaveLength(1));
    expect(api.callsTo(`PATCH ${BASE}/destinations/cds_meta`)[0]!.body).toEqual({ accountId: "99999999", testCode: "TEST123", enabled: true });

    await userEvent.click(await screen.findByRole("button", { name: "Turn off Meta" }));
    const question = screen.getByRole("group", { name: /Turn off Meta\? Queued conversions/ });
    expect(api.callsTo(`PATCH ${BASE}/destinations/cds_meta`)).toHaveLength(1);
    await userEvent.click(within(question).getByRole("button", { name: "Turn off" }));
    await waitFor(() => expect(api.callsTo(`PATCH ${BASE}/destinations/cds_meta`).at(-1)!.body).toEqual({ enabled: false }));

    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Test as" }), "SAVE_TRACK");
    await userEvent.click(screen.getByRole("button", { name: "Send test event to Meta" }));
    expect((await screen.findByText("Meta accepted the test Subscribe.")).closest("[role=status]")?.textContent).toContain("events_received");
    expect(api.callsTo(`POST ${BASE}/destinations/cds_meta/test`)[0]!.body).toEqual({ eventType: "SAVE_TRACK" });
  });

  it("edits the mapping of one event (major units → minor units) and checks value and currency first", async () => {
    const api = mockApi({ ...routes(), [`PUT ${BASE}/mappings/meta/SAVE_TRACK`]: (call) => ({ body: { platform: "meta", eventType: "SAVE_TRACK", ...(call.body as object) } }) });
    renderApp("/app/artists/art_pit/conversions");
    const row = await screen.findByRole("form", { name: "Meta: Save" }, FIRST);
    // Only connected platforms are listed.
    expect(screen.queryByRole("form", { name: "Reddit: Save" })).toBeNull();
    expect(within(row).getByLabelText("Event name").getAttribute("placeholder")).toBe("Subscribe");
    await userEvent.type(within(row).getByLabelText("Event name"), "SaveTrack");
    await userEvent.type(within(row).getByLabelText("Value"), "1.5");
    await userEvent.click(within(row).getByRole("button", { name: "Save Meta: Save" }));
    expect(within(row).getByText("Enter the currency (e.g. EUR) with the value.")).toBeTruthy();
    expect(api.callsTo(`PUT ${BASE}/mappings/meta/SAVE_TRACK`)).toHaveLength(0);
    await userEvent.type(within(row).getByLabelText("Currency"), "eur");
    await userEvent.click(within(row).getByRole("button", { name: "Save Meta: Save" }));
    expect(await within(row).findByText("Saved.")).toBeTruthy();
    expect(api.callsTo(`PUT ${BASE}/mappings/meta/SAVE_TRACK`)[0]!.body).toEqual({ eventName: "SaveTrack", enabled: true, valueMinor: 150, currency: "EUR" });

    const stream = screen.getByRole("form", { name: "Meta: Stream" });
    await userEvent.click(within(stream).getByRole("checkbox", { name: "Send" }));
    api.set(`PUT ${BASE}/mappings/meta/STREAM`, { status: 400, body: { error: { code: "BAD_REQUEST", message: "eventName: letters only", requestId: "r", details: [{ field: "eventName", message: "letters only" }] } } });
    await userEvent.click(within(stream).getByRole("button", { name: "Save Meta: Stream" }));
    expect(await within(stream).findByText("letters only")).toBeTruthy();
    expect(api.callsTo(`PUT ${BASE}/mappings/meta/STREAM`)[0]!.body).toEqual({ eventName: null, enabled: false, valueMinor: null, currency: null });
  });

  it("lists deliveries with a status filter and more pages; the drawer shows every attempt and the platform's response", async () => {
    const api = mockApi(routes());
    renderApp("/app/artists/art_pit/conversions");
    const table = await screen.findByRole("table", { name: "Delivery log" }, FIRST);
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(within(table).getByText("Invalid parameter")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Show more" }));
    await waitFor(() => expect(within(screen.getByRole("table", { name: "Delivery log" })).getAllByRole("row")).toHaveLength(4));
    expect(api.callsTo(`GET ${BASE}/deliveries`).at(-1)!.search.get("cursor")).toBe("c2");

    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Status" }), "rejected");
    await waitFor(() => expect(within(screen.getByRole("table", { name: "Delivery log" })).getAllByRole("row")).toHaveLength(2));
    expect(api.callsTo(`GET ${BASE}/deliveries`).at(-1)!.search.get("status")).toBe("rejected");

    await userEvent.click(screen.getByRole("button", { name: /^Details of Save to Meta/ }));
    const drawer = await screen.findByRole("dialog", { name: "Save to Meta" });
    await within(drawer).findByText(/event_time is too far in the past/);
    expect(within(drawer).getAllByLabelText("Platform response")).toHaveLength(2);
    expect(drawer.textContent).toContain("HTTP 429");
    expect(drawer.textContent).toContain("HTTP 400");
    expect(drawer.textContent).toContain("fbc, external_id");
    expect(document.activeElement).toBe(within(drawer).getByRole("heading", { name: "Save to Meta" }));
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("is read-only for viewers: no connect, change, test or save; the log and health are there", async () => {
    mockApi(routes("viewer"));
    renderApp("/app/artists/art_pit/conversions");
    await screen.findByRole("region", { name: "Meta health" }, FIRST);
    expect(screen.getByTestId("viewer-note").textContent).toContain("conversion settings");
    expect(screen.queryByRole("button", { name: /^Connect/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /^Change/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Turn off/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Send test event/ })).toBeNull();
    const row = await screen.findByRole("form", { name: "Meta: Save" });
    expect(within(row).queryByRole("button")).toBeNull();
    expect(row.querySelector("fieldset")).toHaveProperty("disabled", true);
    expect(await screen.findByRole("table", { name: "Delivery log" })).toBeTruthy();
  });

  it("editors edit the mapping and test, but see destinations read-only", async () => {
    mockApi(routes("editor"));
    renderApp("/app/artists/art_pit/conversions");
    await screen.findByRole("region", { name: /^Meta On/ }, FIRST);
    expect(screen.getByText(/Only admins of Pitbull connect or change destinations/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Connect/ })).toBeNull();
    expect(screen.getByRole("button", { name: "Send test event to Meta" })).toBeTruthy();
    expect(within(await screen.findByRole("form", { name: "Meta: Save" })).getByRole("button", { name: "Save Meta: Save" })).toBeTruthy();
  });
});
