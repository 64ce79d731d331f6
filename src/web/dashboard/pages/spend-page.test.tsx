import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { AttributionSettings, SpendEntry, ValuationReport } from "../lib/analytics-types";
import { formatMoney } from "../lib/format-money";
import { meFixture, NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const totals = { visits: 100, saves: 4, follows: 2, streams: 0, presaves: 0, fans: 4, costPerSave: 2500, costPerFollow: 5000, costPerStream: null, costPerFan: 2500 };
const VALUATION: ValuationReport = {
  artistId: "art_pit",
  from: "2026-11-02",
  to: "2026-11-29",
  byCampaign: [{ utmCampaign: "launch", currency: "EUR", spendMinor: 10000, ...totals }],
  bySmartLink: [],
  totals: [{ currency: "EUR", spendMinor: 10000, ...totals }],
  conversionValue: [{ currency: "EUR", amountMinor: 600, byType: [{ eventType: "SAVE_TRACK", events: 4, unitMinor: 150, amountMinor: 600 }] }],
};
const ENTRY: SpendEntry = { id: "spd_1", source: "manual", utmCampaign: "launch", smartLinkId: null, dayFrom: "2026-11-01", dayTo: "2026-11-28", amountMinor: 10000, currency: "EUR", note: null, createdAt: NOW, updatedAt: NOW };
const SETTINGS: AttributionSettings = { attributionWindowDays: 28, eventValues: [{ eventType: "SAVE_TRACK", amountMinor: 150, currency: "EUR" }] };

function routes(role: "admin" | "viewer" = "admin") {
  return {
    ...signedInRoutes(meFixture(role)),
    "GET /api/v1/artists/art_pit/valuation": { body: VALUATION },
    "GET /api/v1/artists/art_pit/spend": { body: { data: [ENTRY, { ...ENTRY, id: "spd_2", source: "meta_ads", amountMinor: 77 }] } },
    "GET /api/v1/artists/art_pit/attribution-settings": { body: SETTINGS },
  };
}

describe("spend and attribution page", () => {
  it("shows cost per result, edits manual spend (major units → minor units) and reports a refused field", async () => {
    const api = mockApi({
      ...routes(),
      "PUT /api/v1/artists/art_pit/spend": { status: 400, body: { error: { code: "BAD_REQUEST", message: "entries.1.currency: must be an ISO 4217 code in capitals, e.g. EUR", requestId: "req_1", details: [{ field: "entries.1.currency", message: "must be an ISO 4217 code in capitals, e.g. EUR" }] } } },
    });
    renderApp("/app/artists/art_pit/spend");
    const table = await screen.findByRole("table", { name: "Cost per result by campaign" });
    const launch = within(table).getByRole("row", { name: /launch/ });
    expect(launch.textContent).toContain(formatMoney(2500, "EUR"));
    expect(launch.textContent).toContain(formatMoney(10000, "EUR"));
    expect(screen.getByText(/Conversion value/).textContent).toContain(formatMoney(600, "EUR"));
    // Only the manual entry is editable; imported spend is noted.
    const first = await screen.findByRole("group", { name: "Spend entry 1" });
    expect(within(first).getByLabelText("Amount")).toHaveProperty("value", "100.00");
    expect(screen.queryByRole("group", { name: "Spend entry 2" })).toBeNull();
    expect(screen.getByText(/Imported ad spend is kept/)).toBeTruthy();

    await userEvent.click(screen.getByRole("button", { name: "Add spend" }));
    const second = screen.getByRole("group", { name: "Spend entry 2" });
    await userEvent.type(within(second).getByLabelText("Campaign"), "tour");
    await userEvent.type(within(second).getByLabelText("Amount"), "25.5");
    await userEvent.clear(within(second).getByLabelText("Currency"));
    await userEvent.type(within(second).getByLabelText("Currency"), "US");
    await userEvent.click(screen.getByRole("button", { name: "Save spend" }));
    expect((await screen.findByText(/must be an ISO 4217 code/)).textContent).toBeTruthy();
    const body = api.callsTo("PUT /api/v1/artists/art_pit/spend")[0]!.body as { entries: Array<Record<string, unknown>> };
    expect(body.entries[0]).toEqual({ utmCampaign: "launch", dayFrom: "2026-11-01", dayTo: "2026-11-28", amountMinor: 10000, currency: "EUR", note: null });
    expect(body.entries[1]).toMatchObject({ utmCampaign: "tour", amountMinor: 2550, currency: "US" });
  });

  it("saves the attribution window and event values", async () => {
    const api = mockApi({ ...routes(), "PUT /api/v1/artists/art_pit/attribution-settings": { body: { attributionWindowDays: 14, eventValues: [{ eventType: "SAVE_TRACK", amountMinor: 200, currency: "EUR" }] } } });
    renderApp("/app/artists/art_pit/spend");
    const windowInput = await screen.findByLabelText("Attribution window (days)");
    await waitFor(() => expect(windowInput).toHaveProperty("value", "28"));
    await userEvent.clear(windowInput);
    await userEvent.type(windowInput, "14");
    const save = screen.getByLabelText("Save");
    expect(save).toHaveProperty("value", "1.50");
    await userEvent.clear(save);
    await userEvent.type(save, "2");
    await userEvent.click(screen.getByRole("button", { name: "Save attribution settings" }));
    expect(await screen.findByText("Attribution settings saved.")).toBeTruthy();
    expect(api.callsTo("PUT /api/v1/artists/art_pit/attribution-settings")[0]!.body).toEqual({ attributionWindowDays: 14, eventValues: [{ eventType: "SAVE_TRACK", amountMinor: 200, currency: "EUR" }] });
  });

  it("is read-only for viewers", async () => {
    mockApi(routes("viewer"));
    renderApp("/app/artists/art_pit/spend");
    await screen.findByRole("table", { name: "Cost per result by campaign" });
    expect(screen.getByText(/spend and attribution settings/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Save spend" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Add spend" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Save attribution settings" })).toBeNull();
    // Inputs sit in disabled fieldsets: shown, not editable.
    expect((await screen.findByLabelText("Attribution window (days)")).closest("fieldset")).toHaveProperty("disabled", true);
    expect(screen.getByRole("form", { name: "Spend entries" }).querySelector("fieldset")).toHaveProperty("disabled", true);
  });

  it("with no spend yet: an empty state explains what spend is for and adds the first entry (no bare Save button)", async () => {
    const api = mockApi({ ...routes(), "GET /api/v1/artists/art_pit/spend": { body: { data: [] } }, "PUT /api/v1/artists/art_pit/spend": (call) => ({ body: { data: (call.body as { entries: object[] }).entries.map((e, i) => ({ ...ENTRY, id: `spd_${i}`, ...e })) } }) });
    renderApp("/app/artists/art_pit/spend");
    expect(await screen.findByText("No spend entered yet")).toBeTruthy();
    expect(screen.getByText(/cost per save, follow, stream and fan/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Save spend" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Add spend" })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Add your first spend" }));
    const first = screen.getByRole("group", { name: "Spend entry 1" });
    expect(document.activeElement).toBe(within(first).getByLabelText("Campaign"));
    expect(screen.queryByText("No spend entered yet")).toBeNull();
    await userEvent.type(within(first).getByLabelText("Campaign"), "launch");
    await userEvent.type(within(first).getByLabelText("Amount"), "10");
    await userEvent.click(screen.getByRole("button", { name: "Save spend" }));
    expect(await screen.findByText("Spend saved.")).toBeTruthy();
    expect(api.callsTo("PUT /api/v1/artists/art_pit/spend")[0]!.body).toMatchObject({ entries: [{ utmCampaign: "launch", amountMinor: 1000, currency: "EUR" }] });
  });

  it("with no spend yet, viewers see the explanation without buttons", async () => {
    mockApi({ ...routes("viewer"), "GET /api/v1/artists/art_pit/spend": { body: { data: [] } } });
    renderApp("/app/artists/art_pit/spend");
    expect(await screen.findByText("No spend entered yet")).toBeTruthy();
    expect(screen.getByText(/When an editor adds what campaigns cost/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Add your first spend" })).toBeNull();
  });

  it("an amount it cannot read for sure (\"1,000\", \"abc\") is refused on the page, naming the entry; \"1,500.00\" is 1500", async () => {
    const api = mockApi({ ...routes(), "GET /api/v1/artists/art_pit/spend": { body: { data: [] } }, "PUT /api/v1/artists/art_pit/spend": (call) => ({ body: { data: (call.body as { entries: object[] }).entries.map((e, i) => ({ ...ENTRY, id: `spd_${i}`, ...e })) } }) });
    renderApp("/app/artists/art_pit/spend");
    await userEvent.click(await screen.findByRole("button", { name: "Add your first spend" }));
    const first = screen.getByRole("group", { name: "Spend entry 1" });
    await userEvent.type(within(first).getByLabelText("Campaign"), "launch");
    const amount = within(first).getByLabelText("Amount");
    for (const typed of ["1,000", "abc", "12.345"]) {
      await userEvent.clear(amount);
      await userEvent.type(amount, typed);
      await userEvent.click(screen.getByRole("button", { name: "Save spend" }));
      const alert = await screen.findByRole("alert");
      expect(alert.textContent).toContain("Spend not saved");
      expect(alert.textContent).toContain(`Entry 1: the amount “${typed}”`);
      expect(amount.getAttribute("aria-invalid")).toBe("true");
    }
    expect(api.callsTo("PUT /api/v1/artists/art_pit/spend")).toHaveLength(0);
    await userEvent.clear(amount);
    await userEvent.type(amount, "1,500.00");
    await userEvent.click(screen.getByRole("button", { name: "Save spend" }));
    expect(await screen.findByText("Spend saved.")).toBeTruthy();
    expect(amount.getAttribute("aria-invalid")).toBeNull();
    expect(api.callsTo("PUT /api/v1/artists/art_pit/spend")[0]!.body).toMatchObject({ entries: [{ utmCampaign: "launch", amountMinor: 150000 }] });
  });

  it("totals are one row per currency, and campaigns without spend get their own plainly named row", async () => {
    const noSpend = { ...totals, saves: 1, fans: 1, costPerSave: null, costPerFollow: null, costPerFan: null };
    mockApi({
      ...routes(),
      "GET /api/v1/artists/art_pit/valuation": {
        body: {
          ...VALUATION,
          byCampaign: [...VALUATION.byCampaign, { utmCampaign: "organic", currency: null, spendMinor: 0, ...noSpend }],
          totals: [...VALUATION.totals, { currency: null, spendMinor: 0, ...noSpend }],
        },
      },
    });
    renderApp("/app/artists/art_pit/spend");
    const table = await screen.findByRole("table", { name: "Cost per result by campaign" });
    const heads = within(table).getAllByRole("rowheader").map((h) => h.textContent);
    expect(heads).toEqual(["launch", "organic", "All campaigns with EUR spend", "All campaigns without spend"]);
  });
});
