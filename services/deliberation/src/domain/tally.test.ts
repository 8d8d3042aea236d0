import { describe, expect, it } from "vitest";
import { countBallots, decideElection, decideMotion, outcomeOf } from "./tally.js";

const tally = (yes: [number, number], no: [number, number], abstain: [number, number] = [0, 0]) => [
  { option: "yes", votes: yes[0], areaCentiM2: yes[1] },
  { option: "no", votes: no[0], areaCentiM2: no[1] },
  { option: "abstain", votes: abstain[0], areaCentiM2: abstain[1] },
];

describe("thresholds", () => {
  it("simple majority: more than half of the votes cast, abstentions counted as cast", () => {
    expect(
      decideMotion("simple_majority", tally([5, 0], [4, 0]), 9, 0, { voters: 20, areaCentiM2: 0 }).adopted,
    ).toBe(true);
    expect(
      decideMotion("simple_majority", tally([5, 0], [4, 0], [1, 0]), 10, 0, { voters: 20, areaCentiM2: 0 })
        .adopted,
    ).toBe(false);
  });

  it("absolute majority: more than half of the members, however many voted", () => {
    expect(
      decideMotion("absolute_majority", tally([10, 0], [0, 0]), 10, 0, { voters: 20, areaCentiM2: 0 })
        .adopted,
    ).toBe(false);
    expect(
      decideMotion("absolute_majority", tally([11, 0], [0, 0]), 11, 0, { voters: 20, areaCentiM2: 0 })
        .adopted,
    ).toBe(true);
  });

  it("two thirds of the votes cast, exactly two thirds passing", () => {
    expect(
      decideMotion("two_thirds", tally([10, 0], [5, 0]), 15, 0, { voters: 18, areaCentiM2: 0 }).adopted,
    ).toBe(true);
    expect(
      decideMotion("two_thirds", tally([9, 0], [5, 0]), 14, 0, { voters: 18, areaCentiM2: 0 }).adopted,
    ).toBe(false);
  });

  // 30 units of 100.00 m² each: 3,000 m² in all.
  const compound = { voters: 30, areaCentiM2: 300_000 };

  it("owners: fails when fewer than two thirds of the owners or of the area take part (art. 278)", () => {
    const lowHeads = decideMotion("owners_ordinary", tally([19, 190_000], [0, 0]), 19, 190_000, {
      voters: 30,
      areaCentiM2: 200_000,
    });
    expect(lowHeads).toMatchObject({ adopted: false });
    expect(lowHeads.reason).toContain("participation below two thirds");
    const lowArea = decideMotion("owners_ordinary", tally([20, 190_000], [0, 0]), 20, 190_000, compound);
    expect(lowArea.adopted).toBe(false);
    expect(decideMotion("owners_ordinary", tally([20, 200_000], [0, 0]), 20, 200_000, compound).adopted).toBe(
      true,
    );
  });

  it("owners' ordinary matters need more than half of participating heads AND area", () => {
    // 24 take part (240,000): 13 heads in favour but only 110,000 of area.
    expect(
      decideMotion("owners_ordinary", tally([13, 110_000], [11, 130_000]), 24, 240_000, compound).adopted,
    ).toBe(false);
    expect(
      decideMotion("owners_ordinary", tally([13, 130_000], [11, 110_000]), 24, 240_000, compound).adopted,
    ).toBe(true);
    // Exactly half is not more than half.
    expect(
      decideMotion("owners_ordinary", tally([12, 130_000], [12, 110_000]), 24, 240_000, compound).adopted,
    ).toBe(false);
  });

  it("owners' major matters need at least three quarters of participating heads and area", () => {
    expect(
      decideMotion("owners_major", tally([18, 180_000], [6, 60_000]), 24, 240_000, compound).adopted,
    ).toBe(true);
    expect(
      decideMotion("owners_major", tally([18, 170_000], [6, 70_000]), 24, 240_000, compound).adopted,
    ).toBe(false);
    expect(
      decideMotion("owners_major", tally([17, 180_000], [7, 60_000]), 24, 240_000, compound).adopted,
    ).toBe(false);
  });
});

describe("counting and elections", () => {
  it("counts heads and floor area per option", () => {
    const counted = countBallots(
      [
        { choices: ["yes"], areaCentiM2: 8950 },
        { choices: ["yes"], areaCentiM2: 12000 },
        { choices: ["no"], areaCentiM2: 7000 },
      ],
      ["yes", "no", "abstain"],
    );
    expect(counted).toEqual(tally([2, 20950], [1, 7000]));
  });

  it("elects the candidates with most votes and leaves a tied last seat open", () => {
    const options = [
      { option: "wang", votes: 40, areaCentiM2: 0 },
      { option: "li", votes: 31, areaCentiM2: 0 },
      { option: "zhao", votes: 31, areaCentiM2: 0 },
      { option: "chen", votes: 5, areaCentiM2: 0 },
    ];
    expect(decideElection(options, 1).elected).toEqual(["wang"]);
    const tied = decideElection(options, 2);
    expect(tied.elected).toEqual(["wang"]);
    expect(tied.reason).toContain("run-off");
    expect(decideElection(options, 3).elected).toEqual(["wang", "li", "zhao"]);
    expect(outcomeOf("plurality", options, 107, 0, { voters: 120, areaCentiM2: 0 }, 3).adopted).toBe(true);
  });
});
