import { describe, expect, it } from "vitest";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

describe("working-day calendars through the gateway", () => {
  const platform = platformForTheseTests(startTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const commandCentre = bearer("cc-1", { roles: ["command_centre"] });

  const arrangement2032 = {
    holidays: [
      { name: "New Year's Day", from: "2032-01-01", to: "2032-01-03" },
      { name: "National Day", from: "2032-10-01", to: "2032-10-07" },
    ],
    makeUpWorkingDays: ["2032-10-09"],
  };

  it("ships 2026, and lists the years of the configured file after it", async () => {
    const listed = await api.get("/api/v1/working-calendars");
    expect(listed.status).toBe(200);
    const years = listed.body.calendars.map((calendar: { year: number }) => calendar.year);
    expect(years[0]).toBe(2026);
    expect(years).toContain(2027);
    const shipped = await api.get("/api/v1/working-calendars/2026");
    expect(shipped.body).toMatchObject({ year: 2026, loadedBy: "platform", version: 1 });
    expect(shipped.body.makeUpWorkingDays).toContain("2026-10-10");
  });

  it("lets the command centre load a year, and refuses others and bad arrangements, changing nothing", async () => {
    const staff = bearer("cs-1", { roles: ["community_staff"], areas: ["440402001002"] });
    expect((await api.put("/api/v1/working-calendars/2032", arrangement2032, staff)).status).toBe(403);
    const bad = await api.put(
      "/api/v1/working-calendars/2032",
      { ...arrangement2032, makeUpWorkingDays: ["2032-10-08"] },
      commandCentre,
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("makeUpWorkingDays[0]");
    expect((await api.get("/api/v1/working-calendars/2032")).status).toBe(404);

    const loaded = await api.put("/api/v1/working-calendars/2032", arrangement2032, commandCentre);
    expect(loaded.status, JSON.stringify(loaded.body)).toBe(200);
    expect(loaded.body).toMatchObject({ year: 2032, loadedBy: "cc-1", version: 1, ...arrangement2032 });
    const again = await api.put("/api/v1/working-calendars/2032", arrangement2032, commandCentre);
    expect(again.body.version).toBe(1);
  });
});
