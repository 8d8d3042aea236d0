import { describe, expect, it } from "vitest";
import {
  type AgendaItem,
  type AgendaItemEvent,
  decideAdvance,
  decidePropose,
  evolveAgendaItem,
  initialAgendaItemState,
  validateAdvance,
} from "./agenda-item.js";
import {
  decideEndPairing,
  decideFormPairing,
  decideVoidRegistration,
  evolvePairing,
  initialPairingState,
  type Pairing,
  type PairingEvent,
} from "./co-building-pairing.js";
import {
  decideJoinUnit,
  decideLeaveUnit,
  decideRegisterPairing,
  decideReleasePairing,
  evolveJointMeeting,
  initialJointMeetingState,
  type JointMeeting,
  type JointMeetingEvent,
  type JointMeetingState,
  memberUnit,
  PairingsUnsettledError,
  pairingRegistrationsOf,
  validateUnit,
} from "./joint-meeting.js";
import { decideHoldSession, initialJointSessionState, validateSession } from "./joint-session.js";
import type { FoundedOrganisation } from "./organisation.js";

const now = new Date("2026-12-01T02:00:00Z");
const nancun = "440402001002";
const joined = (...unitIds: string[]): JointMeetingState =>
  unitIds.reduce(
    (state, unitId) =>
      evolveJointMeeting(
        state,
        decideJoinUnit({ unitId, name: unitId, kind: "school" }, nancun, state, "s", now),
      ),
    initialJointMeetingState(),
  );
const committee: FoundedOrganisation = {
  status: "founded",
  organisationId: "committee-1",
  level: "community_committee",
  branchKind: "",
  name: "南村社区党委",
  parentId: "street-1",
  areaId: nancun,
  history: [],
};

describe("joint meeting member units and sessions", () => {
  it("seats a unit once, of a known kind", () => {
    const meeting = joined("police", "school");
    expect(meeting).toMatchObject({
      communityAreaId: nancun,
      units: [{ unitId: "police" }, { unitId: "school" }],
    });
    expect(() =>
      decideJoinUnit({ unitId: "police", name: "x", kind: "school" }, nancun, meeting, "s", now),
    ).toThrow(/already sits/);
    expect(() => validateUnit({ unitId: "a b", name: "", kind: "bank" })).toThrow(/unitId.*name.*kind/);
  });

  it("records a session whose attendees all sit on the joint meeting", () => {
    const session = {
      heldOn: "2026-11-20",
      title: "第四季度联席会议",
      attendeeUnitIds: ["police", "stranger"],
      minutes: "",
    };
    expect(() =>
      decideHoldSession(session, "s1", nancun, joined("police"), initialJointSessionState(), "s", now),
    ).toThrow(/attendeeUnitIds\[1\] is not a member unit/);
    expect(() => validateSession({ ...session, heldOn: "2026-02-30", attendeeUnitIds: ["a", "a"] })).toThrow(
      /heldOn.*attendeeUnitIds\[1\] is named twice/,
    );
    expect(
      decideHoldSession(
        { ...session, attendeeUnitIds: ["police"] },
        "s1",
        nancun,
        joined("police"),
        initialJointSessionState(),
        "s",
        now,
      ).data,
    ).toMatchObject({ sessionId: "s1", areaId: nancun, attendeeUnitIds: ["police"] });
  });
});

describe("a unit leaving the joint meeting", () => {
  const leave = (
    meeting: JointMeetingState,
    unitId: string,
    leftOn = "2026-12-02",
    pairings: string[] = [],
  ) =>
    evolveJointMeeting(
      meeting,
      decideLeaveUnit(meeting as JointMeeting, unitId, leftOn, pairings, [], "s", now),
    );

  it("no longer counts the unit as a member, keeps its membership as former, and lets it join again", () => {
    const left = leave(joined("police", "school"), "police") as JointMeeting;
    expect(left.units.map((unit) => unit.unitId)).toEqual(["school"]);
    expect(memberUnit(left, "police")).toBeUndefined();
    expect(left.formerUnits).toEqual([
      {
        unitId: "police",
        name: "police",
        kind: "school",
        joinedBy: "s",
        joinedAt: now.toISOString(),
        leftOn: "2026-12-02",
        leftBy: "s",
        leftAt: now.toISOString(),
      },
    ]);
    expect(() =>
      decideHoldSession(
        { heldOn: "2026-12-03", title: "例会", attendeeUnitIds: ["police"], minutes: "" },
        "session-1",
        nancun,
        left,
        initialJointSessionState(),
        "s",
        now,
      ),
    ).toThrow(/attendeeUnitIds\[0\] is not a member unit/);
    const back = evolveJointMeeting(
      left,
      decideJoinUnit({ unitId: "police", name: "派出所", kind: "police_station" }, nancun, left, "s", now),
    ) as JointMeeting;
    expect(back.units.map((unit) => unit.unitId)).toEqual(["school", "police"]);
    expect(back.formerUnits).toHaveLength(1);
  });

  it("refuses a unit not on it, a date before it joined (in China time), a bad date and active pairings", () => {
    const meeting = joined("police");
    expect(() => decideLeaveUnit(meeting as JointMeeting, "school", "2026-12-02", [], [], "s", now)).toThrow(
      /school does not sit/,
    );
    expect(() =>
      decideLeaveUnit(leave(meeting, "police") as JointMeeting, "police", "2026-12-02", [], [], "s", now),
    ).toThrow(/police does not sit/);
    // Joined at 02:00 UTC on 1 December, which is already 1 December in China; 30 November is before.
    expect(() => decideLeaveUnit(meeting as JointMeeting, "police", "2026-11-30", [], [], "s", now)).toThrow(
      /leftOn/,
    );
    expect(
      decideLeaveUnit(meeting as JointMeeting, "police", "2026-12-01", [], [], "s", now).data,
    ).toMatchObject({
      leftOn: "2026-12-01",
    });
    expect(() => decideLeaveUnit(meeting as JointMeeting, "police", "2026-12", [], [], "s", now)).toThrow(
      /leftOn/,
    );
    expect(() =>
      decideLeaveUnit(meeting as JointMeeting, "police", "2026-12-02", ["committee-1.police"], [], "s", now),
    ).toThrow(/end them first: committee-1\.police/);
  });
});

describe("agenda items", () => {
  const proposed = () =>
    evolveAgendaItem(
      initialAgendaItemState(),
      decidePropose(
        { title: "停车难", description: "", proposedByUnitId: "police" },
        "item-1",
        nancun,
        joined("police"),
        initialAgendaItemState(),
        "s",
        now,
      ),
    ) as AgendaItem;
  const advance = (item: AgendaItem, to: Parameters<typeof decideAdvance>[1], note = "") =>
    evolveAgendaItem(item, decideAdvance(item, to, note, "s", now) as AgendaItemEvent) as AgendaItem;

  it("moves motion → consultation → decided → follow-up → closed, recording each move", () => {
    let item = proposed();
    item = advance(item, "immediate_consultation");
    item = advance(item, "decided", "增设夜间停车位");
    item = advance(item, "follow_up");
    item = advance(item, "closed", "已落实");
    expect(item.stage).toBe("closed");
    expect(item.history.map((change) => [change.from, change.to, change.note])).toEqual([
      ["", "motion", ""],
      ["motion", "immediate_consultation", ""],
      ["immediate_consultation", "decided", "增设夜间停车位"],
      ["decided", "follow_up", ""],
      ["follow_up", "closed", "已落实"],
    ]);
  });

  it("refuses moves out of order, and a decision without its note", () => {
    const item = proposed();
    expect(() => decideAdvance(item, "decided", "x", "s", now)).toThrow(
      /at motion; it moves on to regular_consultation or immediate_consultation/,
    );
    const consulted = advance(item, "regular_consultation");
    expect(() => decideAdvance(consulted, "immediate_consultation", "", "s", now)).toThrow(
      /STAGE|at regular_consultation/,
    );
    expect(() => decideAdvance(consulted, "closed", "", "s", now)).toThrow(/not closed/);
    expect(() => validateAdvance("decided", " ")).toThrow(/note must state the decision/);
    expect(() => validateAdvance("motion", "")).toThrow(/to must be one of/);
  });

  it("takes a proposing unit only from the joint meeting", () => {
    expect(() =>
      decidePropose(
        { title: "x", description: "", proposedByUnitId: "bank" },
        "i",
        nancun,
        joined("police"),
        initialAgendaItemState(),
        "s",
        now,
      ),
    ).toThrow(/proposedByUnitId is not a member unit/);
  });
});

describe("co-building pairings", () => {
  const command = {
    organisationId: "committee-1",
    unitId: "police",
    startedOn: "2026-01-01",
    purpose: "警民共建",
  };
  const formed = () =>
    evolvePairing(
      initialPairingState(),
      decideFormPairing(command, committee, joined("police"), "r1", initialPairingState(), "s", now),
    ) as Pairing;

  it("pairs a community organisation with a member unit once while active, again after it ended", () => {
    const pairing = formed();
    expect(pairing).toMatchObject({
      pairingId: "committee-1.police",
      status: "active",
      communityAreaId: nancun,
    });
    expect(() => decideFormPairing(command, committee, joined("police"), "r2", pairing, "s", now)).toThrow(
      /are paired since/,
    );
    const ended = evolvePairing(
      pairing,
      decideEndPairing(pairing, "2026-11-30", "期满", "s", now),
    ) as Pairing;
    expect(ended).toMatchObject({ status: "ended", endedOn: "2026-11-30" });
    expect(() => decideEndPairing(ended, "2026-12-01", "", "s", now)).toThrow(/ended on 2026-11-30/);
    const again = evolvePairing(
      ended,
      decideFormPairing(
        { ...command, startedOn: "2027-01-01" },
        committee,
        joined("police"),
        "r2",
        ended,
        "s",
        now,
      ),
    ) as Pairing;
    expect(again).toMatchObject({ status: "active", startedOn: "2027-01-01", endedOn: "" });
    expect(again.formerTerms).toEqual([
      { startedOn: "2026-01-01", endedOn: "2026-11-30", purpose: "警民共建", endNote: "期满" },
    ]);
  });

  it("refuses a unit outside the joint meeting, an organisation above the community, an end before the start", () => {
    expect(() =>
      decideFormPairing(command, committee, joined("school"), "r1", initialPairingState(), "s", now),
    ).toThrow(/does not sit on the joint meeting/);
    expect(() =>
      decideFormPairing(
        command,
        { ...committee, level: "street_working_committee", areaId: "440402001" },
        joined("police"),
        "r1",
        initialPairingState(),
        "s",
        now,
      ),
    ).toThrow(/not a community party organisation/);
    expect(() => decideEndPairing(formed(), "2025-12-31", "", "s", now)).toThrow(
      /before the pairing started/,
    );
  });

  it("never forms a registration a leave voided, and voids nothing of an active pairing", () => {
    const voidOf = (registrationId: string) => ({ pairingId: "committee-1.police", registrationId });
    const voided = evolvePairing(
      initialPairingState(),
      decideVoidRegistration(initialPairingState(), nancun, voidOf("r1"), "s", now) as PairingEvent,
    );
    expect(() => decideFormPairing(command, committee, joined("police"), "r1", voided, "s", now)).toThrow(
      /at the same moment/,
    );
    expect(decideVoidRegistration(voided, nancun, voidOf("r1"), "s", now)).toBeUndefined();
    const formedLater = evolvePairing(
      voided,
      decideFormPairing(command, committee, joined("police"), "r2", voided, "s", now),
    ) as Pairing;
    expect(formedLater).toMatchObject({
      status: "active",
      registrationId: "r2",
      voidedRegistrationIds: ["r1"],
    });
    expect(decideVoidRegistration(formedLater, nancun, voidOf("r2"), "s", now)).toBeUndefined();
  });
});

describe("pairings registered on the joint meeting", () => {
  const registration = { registrationId: "r1", pairingId: "committee-1.police", unitId: "police" };
  const register = (meeting: JointMeetingState) =>
    evolveJointMeeting(
      meeting,
      decideRegisterPairing(meeting, nancun, registration, "s", now),
    ) as JointMeeting;

  it("registers pairings of member units only, and releases each once", () => {
    expect(() => decideRegisterPairing(joined("school"), nancun, registration, "s", now)).toThrow(
      /does not sit on the joint meeting/,
    );
    const registered = register(joined("police", "school"));
    expect(pairingRegistrationsOf(registered, "police")).toEqual([registration]);
    expect(pairingRegistrationsOf(registered, "school")).toEqual([]);
    const release = decideReleasePairing(registered, "r1", "s", now);
    const released = evolveJointMeeting(registered, release as JointMeetingEvent) as JointMeeting;
    expect(pairingRegistrationsOf(released, "police")).toEqual([]);
    expect(decideReleasePairing(released, "r1", "s", now)).toBeUndefined();
  });

  it("decides a leave again when a registration appeared after the pairings were settled", () => {
    const registered = register(joined("police"));
    expect(() => decideLeaveUnit(registered, "police", "2026-12-02", [], [], "s", now)).toThrow(
      PairingsUnsettledError,
    );
    const left = evolveJointMeeting(
      registered,
      decideLeaveUnit(registered, "police", "2026-12-02", [], ["r1"], "s", now),
    ) as JointMeeting;
    expect(memberUnit(left, "police")).toBeUndefined();
    expect(left.pairingRegistrations).toEqual([]);
  });
});
