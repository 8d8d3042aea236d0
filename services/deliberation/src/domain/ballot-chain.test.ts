import { describe, expect, it } from "vitest";
import { decideCast, evolveBallotBox, initialBallotBoxState } from "./ballot-box.js";
import { genesisHash, recomputeChain } from "./ballot-chain.js";

function castThree() {
  let box = initialBallotBoxState();
  const stored = [];
  for (const [index, choice] of ["yes", "no", "yes"].entries()) {
    const event = decideCast(
      "vote-1",
      {
        ballotId: `b${index}`,
        votingKey: `unit-${index}`,
        choices: [choice],
        areaCentiM2: 9000,
        castAt: "2026-11-23T10:00:00.000Z",
      },
      box,
    );
    if (event.type !== "ballot.cast") throw new Error("expected a ballot");
    stored.push(event.data);
    box = evolveBallotBox(box, event);
  }
  return { box, stored };
}

describe("the ballot hash chain", () => {
  it("links each ballot to the previous one from the vote's genesis", () => {
    const { box, stored } = castThree();
    expect(stored[0]?.previousHash).toBe(genesisHash("vote-1"));
    expect(stored[1]?.previousHash).toBe(stored[0]?.hash);
    expect(recomputeChain("vote-1", stored)).toEqual({ head: box.head, firstBroken: 0 });
  });

  it("detects a changed choice, a removed ballot and a reordering", () => {
    const { box, stored } = castThree();
    const changed = stored.map((ballot, index) => (index === 1 ? { ...ballot, choices: ["yes"] } : ballot));
    expect(recomputeChain("vote-1", changed)).toMatchObject({ firstBroken: 2 });
    expect(recomputeChain("vote-1", changed).head).not.toBe(box.head);
    expect(recomputeChain("vote-1", [stored[0], stored[2]] as typeof stored).firstBroken).toBe(2);
    expect(recomputeChain("vote-1", [stored[1], stored[0], stored[2]] as typeof stored).firstBroken).toBe(1);
  });

  it("refuses a ballot after the seal", () => {
    const { box } = castThree();
    const sealed = { ...box, sealed: true };
    expect(() =>
      decideCast(
        "vote-1",
        { ballotId: "late", votingKey: "u9", choices: ["yes"], areaCentiM2: 1, castAt: "x" },
        sealed,
      ),
    ).toThrow(/closed/);
  });
});
