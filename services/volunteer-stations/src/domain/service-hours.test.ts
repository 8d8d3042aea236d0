import { describe, expect, it } from "vitest";
import { starLevelFor } from "./service-hours.js";
import { decideRaiseStarLevel, type RegisteredVolunteer } from "./volunteer.js";

const hours = (count: number) => count * 60;

describe("star levels by approved hours", () => {
  it("follows the national thresholds: 100, 300, 600, 1,000 and 1,500 hours", () => {
    expect(
      [0, 99.9, 100, 299, 300, 600, 999, 1_000, 1_499, 1_500, 5_000].map((h) => starLevelFor(hours(h))),
    ).toEqual([0, 0, 1, 1, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("raises once per level and never lowers", () => {
    const volunteer = { status: "registered", volunteerId: "v", starLevel: 1 } as RegisteredVolunteer;
    const now = new Date("2026-11-23T08:00:00Z");
    expect(decideRaiseStarLevel(volunteer, 1, hours(150), now)).toBeUndefined();
    expect(decideRaiseStarLevel(volunteer, 0, hours(50), now)).toBeUndefined();
    expect(decideRaiseStarLevel(volunteer, 3, hours(650), now)?.data).toMatchObject({ from: 1, to: 3 });
  });
});
