import { InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { evolveCase, initialCaseState, type OpenCase } from "./case.js";
import { CaseCategoryCatalogue, defaultCaseCategories } from "./case-categories.js";
import { caseRoles, decideCaseTransition, decideSlaBreach } from "./case-lifecycle.js";
import { SlaClock } from "./sla.js";
import { decideSubmitCase } from "./submit-case.js";
import { china2026, WorkingCalendar } from "./working-calendar.js";

const catalogue = new CaseCategoryCatalogue(defaultCaseCategories);
const sealForTest = (plain: string) => `sealed(${plain})`;
const sla = new SlaClock(catalogue, new WorkingCalendar([china2026]));
const at = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => at(local).toISOString();

describe("SLA deadlines", () => {
  it("urgent categories: contact within 1 hour, on site within 2, resolved within 3 working days", () => {
    expect(sla.deadlines("manhole-cover-missing", "report", at("2026-03-06T16:20:00"))).toEqual({
      policy: "urgent",
      contact: iso("2026-03-06T17:20:00"),
      on_site: iso("2026-03-06T18:20:00"),
      resolve: iso("2026-03-12T00:00:00"),
    });
  });

  it("consultation, suggestion and praise: 3 working days; other requests: the standard 10", () => {
    expect(sla.deadlines("policy-consultation", "consultation", at("2026-09-30T10:00:00"))).toEqual({
      policy: "quick",
      resolve: iso("2026-10-11T00:00:00"),
    });
    expect(sla.deadlines("property-management", "complaint", at("2026-03-02T09:00:00"))).toEqual({
      policy: "standard",
      resolve: iso("2026-03-17T00:00:00"),
    });
  });

  it("extends once by the policy's working days, counted from the old deadline", () => {
    const resolve = iso("2026-03-12T00:00:00");
    expect(sla.extendedResolve("manhole-cover-missing", "report", resolve, 0)).toBe(
      iso("2026-03-17T00:00:00"),
    );
    expect(sla.extendedResolve("manhole-cover-missing", "report", resolve, 1)).toBeUndefined();
  });

  it("an unknown category has no policy", () => {
    expect(() => sla.deadlines("alien-landing", "report", new Date())).toThrow(InvalidArgumentError);
  });
});

describe("SLA breaches", () => {
  const acceptedAt = at("2026-03-06T16:20:00");
  const accepted = (() => {
    const submitted = evolveCase(
      initialCaseState(),
      decideSubmitCase(
        {
          caseId: "c-9",
          channel: "hotline_12345",
          requestType: "report",
          categoryCode: "gas-leak",
          title: "Smell of gas in stairwell",
          description: "Building 4, unit 2",
          areaId: "440402001002003",
          address: "",
          reporterName: "",
          reporterPhone: "",
          anonymous: false,
          submittedBy: "operator-1",
          submittedAt: acceptedAt,
        },
        initialCaseState(),
        catalogue,
        sealForTest,
      ),
    );
    const staff = { subject: "cs-1", roles: [caseRoles.communityStaff], areas: ["440402"] };
    return evolveCase(
      submitted,
      decideCaseTransition({ kind: "accept" }, submitted, staff, acceptedAt, sla),
    ) as OpenCase;
  })();

  it("nothing is breached before the first deadline; the watcher index points at it", () => {
    expect(accepted.nextDueAt).toBe(iso("2026-03-06T17:20:00"));
    expect(decideSlaBreach(accepted, at("2026-03-06T17:19:59"))).toBeUndefined();
  });

  it("records each passed deadline once, earliest first, then moves on", () => {
    const later = at("2026-03-12T09:00:00");
    let state = accepted;
    const recorded: string[] = [];
    for (let event = decideSlaBreach(state, later); event; event = decideSlaBreach(state, later)) {
      if (event.type !== "case.sla_breached") throw new Error(event.type);
      recorded.push(event.data.deadline);
      state = evolveCase(state, event) as OpenCase;
    }
    expect(recorded).toEqual(["contact", "on_site", "resolve"]);
    expect(state.nextDueAt).toBe("");
  });

  it("a deadline that was met is never breached", () => {
    const contacted = evolveCase(accepted, {
      type: "case.contacted",
      data: {
        by: "w-1",
        at: iso("2026-03-06T16:50:00"),
        areaId: accepted.areaId,
        categoryCode: accepted.categoryCode,
      },
    }) as OpenCase;
    expect(contacted.nextDueAt).toBe(iso("2026-03-06T18:20:00"));
    const event = decideSlaBreach(contacted, at("2026-03-06T19:00:00"));
    expect(event).toMatchObject({ type: "case.sla_breached", data: { deadline: "on_site" } });
  });
});
