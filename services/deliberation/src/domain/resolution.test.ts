import { describe, expect, it } from "vitest";
import {
  decideAdopt,
  decideReview,
  evolveResolution,
  initialResolutionState,
  isReviewDue,
  type Resolution,
} from "./resolution.js";

const adoptedOn = (reviewDate: string): Resolution => {
  const adopted = decideAdopt({
    resolutionId: "r-1",
    voteId: "r-1",
    meetingId: "",
    motionId: "",
    councilId: "c-1",
    areaId: "440402001002",
    title: "修缮排水管网",
    text: "由网格办立案处理",
    reviewDate,
    by: "cs-nancun",
    at: new Date("2026-12-03T10:00:00Z"),
  });
  return evolveResolution(initialResolutionState(), adopted) as Resolution;
};

describe("a resolution's review date", () => {
  it("is not due before its date in China", () => {
    expect(isReviewDue(adoptedOn("2027-03-31"), new Date("2027-03-30T15:59:59Z"))).toBe(false);
  });

  it("is due on its date and after it while nobody reviewed the outcome", () => {
    // Midnight in China is 16:00 UTC the day before.
    expect(isReviewDue(adoptedOn("2027-03-31"), new Date("2027-03-30T16:00:00Z"))).toBe(true);
    expect(isReviewDue(adoptedOn("2027-03-31"), new Date("2027-06-01T00:00:00Z"))).toBe(true);
  });

  it("is no longer due once the outcome is reviewed", () => {
    const resolution = adoptedOn("2027-03-31");
    const reviewed = evolveResolution(
      resolution,
      decideReview(resolution, "管网畅通", "cs-nancun", new Date("2027-04-02T09:00:00Z")),
    ) as Resolution;
    expect(isReviewDue(reviewed, new Date("2027-04-03T00:00:00Z"))).toBe(false);
  });

  it("must lie after the day of adoption", () => {
    expect(() => adoptedOn("2026-12-03")).toThrow();
    expect(() => adoptedOn("2026-13-01")).toThrow();
  });
});
