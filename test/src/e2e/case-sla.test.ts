import { beforeAll, describe, expect, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { httpClient } from "../support/http-client.js";
import { movableClock } from "../support/movable-clock.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const hourMs = 3_600_000;

interface CaseJson {
  caseId: string;
  version: number;
  status: string;
  slaPolicy: string;
  contactDue?: string;
  onSiteDue?: string;
  resolveDue?: string;
  extensions: number;
  breachedDeadlines: string[];
  supervisions: number;
  timeline: { type: string; at: string }[];
  whistle?: {
    reportBy: string;
    escalated: boolean;
    reports: { departmentId: string; acknowledgedAt?: string; arrivedAt?: string }[];
  };
}

// The SLA path through the gateway with grid-cases on a clock the test moves: deadlines fixed
// at acceptance, one extension, breaches and whistle escalations recorded by the running
// watcher, supervision once overdue, and the figures read at every level up to the province.
describe("case deadlines, the SLA watcher and the figures of a city", () => {
  const { clock, now } = movableClock();
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startTestPlatform(mongoUri, natsUrl, 2_000, undefined, { now, slaWatchIntervalMs: 250 }),
  );
  const http = httpClient(() => platform().gatewayUrl);
  const tokens: Record<string, string> = {
    communityStaff: bearer("cs-7", { roles: ["community_staff"], areas: ["440402001002"] }),
    commandCentre: bearer("cc-1", { roles: ["command_centre"], areas: ["440402"] }),
    cityCommandCentre: bearer("city-cc-1", { roles: ["command_centre"], areas: ["440400"] }),
    water: bearer("w-3", { roles: ["department_staff"], department: "water-affairs" }),
  };

  const step = async (caseId: string, who: string, body: unknown) =>
    http.post(`/api/v1/cases/${caseId}/transitions`, body, tokens[who]);
  const stepOk = async (caseId: string, who: string, body: unknown) => {
    const moved = await step(caseId, who, body);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    return moved.body as CaseJson;
  };
  const read = async (caseId: string) =>
    (await http.get(`/api/v1/cases/${caseId}`, tokens.commandCentre)).body as CaseJson;
  /** Reads until `done` holds: the watcher runs every 250 ms, the projector follows events. */
  const eventually = async <T>(readIt: () => Promise<T>, done: (value: T) => boolean) => {
    let value = await readIt();
    for (let attempt = 0; attempt < 100 && !done(value); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      value = await readIt();
    }
    return value;
  };
  const submit = async (categoryCode: string, requestType: string) => {
    const posted = await http.post("/api/v1/cases", {
      channel: "hotline_12345",
      requestType,
      categoryCode,
      title: "Manhole cover missing on Jida Road",
      description: "The cover outside No. 12 is gone since this morning.",
      areaId: testGrid,
    });
    expect(posted.status).toBe(201);
    return (posted.body as CaseJson).caseId;
  };
  const moveClock = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };

  beforeAll(async () => {
    await seedGeography(platform().gatewayUrl);
  });

  it("a whistle nobody answers in time is escalated by the watcher, and then open to supervision", async () => {
    const caseId = await submit("street-vending", "complaint");
    await stepOk(caseId, "communityStaff", { accept: {} });
    const blown = await stepOk(caseId, "communityStaff", {
      blowWhistle: {
        departmentIds: ["water-affairs", "urban-management"],
        reason: "Stalls on the drain covers",
      },
    });
    const blownAt = Date.parse(blown.timeline.at(-1)?.at as string);
    // Without reportWithinHours the departments have 24 hours.
    expect(Date.parse(blown.whistle?.reportBy as string) - blownAt).toBe(24 * hourMs);
    await stepOk(caseId, "water", { acknowledgeWhistle: {} });
    await stepOk(caseId, "water", { reportArrival: {} });
    const early = await step(caseId, "commandCentre", { issueSupervision: { note: "hurry" } });
    expect(early).toMatchObject({ status: 400, body: { reason: "NOT_OVERDUE" } });

    moveClock(25 * hourMs);
    const escalated = await eventually(
      () => read(caseId),
      (found) => found.whistle?.escalated === true,
    );
    expect(escalated.whistle).toMatchObject({
      escalated: true,
      reports: [
        { departmentId: "water-affairs", acknowledgedAt: expect.any(String), arrivedAt: expect.any(String) },
        { departmentId: "urban-management" },
      ],
    });
    expect(escalated.whistle?.reports[1]).not.toHaveProperty("arrivedAt");
    expect(escalated.timeline.map((entry) => entry.type)).toContain("case.whistle_overdue");
    // Escalated once: the next passes leave it alone.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await read(caseId)).version).toBe(escalated.version);

    const supervised = await stepOk(caseId, "commandCentre", {
      issueSupervision: { note: "到场报到 Report today" },
    });
    expect(supervised.supervisions).toBe(1);
  });

  it("acceptance fixes the urgent deadlines, one extension moves the resolve deadline, the watcher records each breach", async () => {
    const caseId = await submit("manhole-cover-missing", "report");
    const submitted = await read(caseId);
    expect(submitted.slaPolicy).toBe("");
    expect(submitted).not.toHaveProperty("resolveDue");

    const accepted = await stepOk(caseId, "communityStaff", { accept: {} });
    const acceptedAt = Date.parse(accepted.timeline.at(-1)?.at as string);
    expect(accepted.slaPolicy).toBe("urgent");
    expect(Date.parse(accepted.contactDue as string) - acceptedAt).toBe(hourMs);
    expect(Date.parse(accepted.onSiteDue as string) - acceptedAt).toBe(2 * hourMs);
    expect(Date.parse(accepted.resolveDue as string)).toBeGreaterThan(acceptedAt + 2 * hourMs);

    await stepOk(caseId, "commandCentre", { dispatch: { departmentId: "water-affairs" } });
    const extended = await stepOk(caseId, "commandCentre", { extend: { reason: "井盖需定制 Custom cover" } });
    expect(extended.extensions).toBe(1);
    expect(Date.parse(extended.resolveDue as string)).toBeGreaterThan(
      Date.parse(accepted.resolveDue as string),
    );
    const again = await step(caseId, "commandCentre", { extend: { reason: "Still waiting" } });
    expect(again).toMatchObject({ status: 400, body: { reason: "EXTENSION_LIMIT_REACHED" } });
    expect((await read(caseId)).resolveDue).toBe(extended.resolveDue);

    // Past the contact deadline only: nobody called the resident.
    moveClock(90 * 60_000);
    const late = await eventually(
      () => read(caseId),
      (found) => found.breachedDeadlines.length > 0,
    );
    expect(late.breachedDeadlines).toEqual(["contact"]);
    // Past everything, the extended resolve deadline included.
    moveClock(Date.parse(extended.resolveDue as string) - clock.now.getTime() + hourMs);
    const overdue = await eventually(
      () => read(caseId),
      (found) => found.breachedDeadlines.length === 3,
    );
    expect(overdue.breachedDeadlines).toEqual(["contact", "on_site", "resolve"]);
    expect(overdue.timeline.filter((entry) => entry.type === "case.sla_breached")).toHaveLength(3);
  });

  it("a city's and a province's officers read the figures of the cases below them", async () => {
    const statistics = (value: string, who: string) =>
      http.get(`/api/v1/case-statistics?scope=area&value=${value}`, tokens[who]);
    // A month on, both cases are open past their resolve deadlines.
    moveClock(30 * 24 * hourMs);
    const district = await eventually(
      async () => (await statistics("440402", "commandCentre")).body,
      (figures) => figures.openOverdue === 2,
    );
    expect(district).toMatchObject({ collected: 2, resolved: 0, openOverdue: 2, onTimeRate: 0 });
    const { scope: _scope, value: _value, ...figures } = district;
    const city = await statistics("440400", "cityCommandCentre");
    expect(city).toMatchObject({ status: 200, body: { scope: "area", value: "440400", ...figures } });
    const province = await statistics("440000", "cityCommandCentre");
    expect(province).toMatchObject({ status: 200, body: { value: "440000", ...figures } });
    expect((await statistics("440400", "communityStaff")).status).toBe(403);
  });
});
