import { FailedPreconditionError, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  decideCloseFollowUpTask,
  decideOpenFollowUp,
  evolveSafetyFollowUp,
  initialSafetyFollowUpState,
  requireFollowUp,
  type SafetyFollowUp,
} from "./safety-follow-up.js";

const at = "2026-08-31T10:00:00.000Z";
const street = "440402002";
const publication = (level: "blue" | "yellow" | "orange" | "red", areaId = street) => ({
  areaId,
  period: "2026-08",
  level,
  score: 55,
  at,
});

function opened(): SafetyFollowUp {
  const event = decideOpenFollowUp(publication("red"));
  if (!event) throw new Error("expected a follow-up");
  return requireFollowUp(evolveSafetyFollowUp(initialSafetyFollowUpState(), event), street, "2026-08");
}

const close = (followUp: SafetyFollowUp, kind: string, outcome = "done") =>
  requireFollowUp(
    evolveSafetyFollowUp(
      followUp,
      decideCloseFollowUpTask(followUp, { kind, outcome, by: "ss-1", at: new Date(at) }),
    ),
    street,
    "2026-08",
  );

describe("safety-index follow-up", () => {
  it("opens three tasks for a street at orange or red, and none at blue or yellow or for a district", () => {
    expect(decideOpenFollowUp(publication("orange"))?.type).toBe("safety_follow_up.opened");
    expect(decideOpenFollowUp(publication("yellow"))).toBeUndefined();
    expect(decideOpenFollowUp(publication("blue"))).toBeUndefined();
    expect(decideOpenFollowUp(publication("red", "440402"))).toBeUndefined();
    expect(opened().tasks.map((task) => task.kind)).toEqual(["analysis", "supervision", "accountability"]);
  });

  it("closes each task once, with its outcome, and the follow-up when all are closed", () => {
    let followUp = close(opened(), "analysis", "thefts near the port");
    expect(followUp.status).toBe("open");
    expect(followUp.tasks[0]).toMatchObject({
      status: "closed",
      outcome: "thefts near the port",
      closedBy: "ss-1",
    });
    expect(() => close(followUp, "analysis")).toThrow(FailedPreconditionError);
    followUp = close(close(followUp, "supervision"), "accountability");
    expect(followUp.status).toBe("closed");
  });

  it("refuses an unknown task or an empty outcome", () => {
    expect(() => close(opened(), "celebration")).toThrow(InvalidArgumentError);
    expect(() => close(opened(), "analysis", " ")).toThrow(InvalidArgumentError);
  });
});
