import { gridCasesV1 } from "@civic/contracts";
import { chinaDateTime } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { closedStatuses, fieldErrors, openStatuses, serviceRequestOf } from "./formats.js";

const { CaseStatus } = gridCasesV1;

const aCase = (overrides: Partial<gridCasesV1.Case>): gridCasesV1.Case => ({
  ...gridCasesV1.Case.fromPartial({
    caseId: "c-1",
    categoryCode: "fallen-tree",
    submittedAt: new Date("2026-03-01T16:30:00Z"),
    timeline: [
      { type: "case.submitted", by: "r-1", at: new Date("2026-03-01T16:30:00Z"), note: "Tree down" },
    ],
  }),
  ...overrides,
});

describe("GeoReport v2 formats", () => {
  it("writes instants as China time with their offset, to the second", () => {
    expect(chinaDateTime(new Date("2026-03-01T16:30:00.987Z"))).toBe("2026-03-02T00:30:00+08:00");
  });

  it("splits every case status into open or closed, none in both", () => {
    const all = Object.values(CaseStatus).filter((value) => typeof value === "number" && value > 0);
    expect([...openStatuses, ...closedStatuses].sort()).toEqual([...all].sort());
    expect(openStatuses).toContain(CaseStatus.CASE_STATUS_RETURNED);
    expect(closedStatuses).toContain(CaseStatus.CASE_STATUS_RESOLVED);
  });

  it("gives a rejected case its reason as status notes, a resolved one its result", () => {
    const rejected = aCase({
      status: CaseStatus.CASE_STATUS_REJECTED,
      timeline: [
        { type: "case.submitted", by: "r-1", at: new Date("2026-03-01T16:30:00Z"), note: "Tree down" },
        { type: "case.rejected", by: "cs-1", at: new Date("2026-03-01T17:00:00Z"), note: "Private garden" },
      ],
    });
    expect(serviceRequestOf(rejected, "树木倒塌 Fallen tree")).toMatchObject({
      status: "closed",
      status_notes: "Private garden",
      updated_datetime: "2026-03-02T01:00:00+08:00",
      extended_attributes: { status: "rejected" },
    });
    const resolved = aCase({ status: CaseStatus.CASE_STATUS_RESOLVED, result: "Tree removed" });
    expect(serviceRequestOf(resolved, "")).toMatchObject({ status: "closed", status_notes: "Tree removed" });
    const reopened = aCase({ status: CaseStatus.CASE_STATUS_IN_PROGRESS, reopenCount: 1 });
    expect(serviceRequestOf(reopened, "").status).toBe("open");
  });

  it("names the spec's parameters in errors the service reports by its own field names", () => {
    expect(
      fieldErrors(400, [
        { field: "areaId", detail: "440402001002999 is not a known area" },
        { field: "location.latitude", detail: "must be -90 to 90 degrees" },
        { field: "colour", detail: "is not a known field" },
      ]),
    ).toEqual([
      { code: 400, description: "attribute[area_id]: 440402001002999 is not a known area" },
      { code: 400, description: "lat: must be -90 to 90 degrees" },
      { code: 400, description: "colour: is not a known field" },
    ]);
  });
});
