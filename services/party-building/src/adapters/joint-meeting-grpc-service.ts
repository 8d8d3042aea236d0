import { partyBuildingV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type { AgendaItemView, JointMeetingDesk, JointMeetingView } from "../app/joint-meeting-desk.js";
import type { PairingDesk, PairingView } from "../app/pairing-desk.js";
import type { JointSession } from "../domain/joint-session.js";
import { expectedVersionOf, requireId } from "./enum-mapping.js";

/** gRPC face of joint meetings, their agenda items and pairings. */
export function jointMeetingGrpcService(
  meetings: JointMeetingDesk,
  pairings: PairingDesk,
): GrpcServiceRegistration {
  const pairingReply = replyWith("pairing", toProtoPairing);
  return unaryService(partyBuildingV1.JointMeetingServiceService, {
    joinJointMeeting: async (request, { caller }) => {
      const { communityAreaId, ...unit } = request;
      return { jointMeeting: toProtoMeeting(await meetings.joinUnit(communityAreaId, unit, caller)) };
    },
    leaveJointMeeting: async (request, { caller }) => {
      requireId("unitId", request.unitId);
      const { communityAreaId, unitId, leftOn } = request;
      return {
        jointMeeting: toProtoMeeting(await meetings.leaveUnit(communityAreaId, unitId, leftOn, caller)),
      };
    },
    getJointMeeting: async (request, { caller }) => ({
      jointMeeting: toProtoMeeting(await meetings.get(request.communityAreaId, caller)),
    }),
    recordJointMeetingSession: async (request, { caller }) => {
      const { communityAreaId, ...session } = request;
      return { session: toProtoSession(await meetings.recordSession(communityAreaId, session, caller)) };
    },
    listJointMeetingSessions: async (request, { caller }) => {
      const { communityAreaId, ...page } = request;
      const found = await meetings.listSessions(communityAreaId, page, caller);
      return { sessions: found.sessions.map(toProtoSession), nextPageToken: found.nextPageToken };
    },
    proposeAgendaItem: async (request, { caller }) => {
      const { communityAreaId, ...item } = request;
      return { item: toProtoItem(await meetings.proposeItem(communityAreaId, item, caller)) };
    },
    listAgendaItems: async (request, { caller }) => {
      const { communityAreaId, stage, ...page } = request;
      const found = await meetings.listItems(communityAreaId, stage, page, caller);
      return { items: found.items.map(toProtoItem), nextPageToken: found.nextPageToken };
    },
    getAgendaItem: async (request, { caller }) => {
      requireId("itemId", request.itemId);
      return { item: toProtoItem(await meetings.getItem(request.itemId, caller)) };
    },
    advanceAgendaItem: async (request, { caller }) => {
      requireId("itemId", request.itemId);
      const expected = expectedVersionOf(request.expectedVersion);
      const item = await meetings.advanceItem(request.itemId, request.to, request.note, expected, caller);
      return { item: toProtoItem(item) };
    },
    formPairing: (request, { caller }) => pairingReply(pairings.form(request, caller)),
    getPairing: (request, { caller }) => pairingReply(pairings.get(request.pairingId, caller)),
    listPairings: async (request, { caller }) => {
      const { communityAreaId, activeOnly, ...page } = request;
      const found = await pairings.list(communityAreaId, activeOnly, page, caller);
      return { pairings: found.pairings.map(toProtoPairing), nextPageToken: found.nextPageToken };
    },
    endPairing: (request, { caller }) =>
      pairingReply(pairings.end(request.pairingId, request.endedOn, request.note, caller)),
  });
}

function toProtoMeeting(meeting: JointMeetingView): partyBuildingV1.JointMeeting {
  return {
    ...meeting,
    units: meeting.units.map((unit) => ({ ...unit, joinedAt: new Date(unit.joinedAt) })),
    // Snapshots written before units could leave have no formerUnits.
    formerUnits: (meeting.formerUnits ?? []).map((unit) => ({
      ...unit,
      joinedAt: new Date(unit.joinedAt),
      leftAt: new Date(unit.leftAt),
    })),
  };
}

function toProtoSession(session: JointSession): partyBuildingV1.JointMeetingSession {
  const { status: _status, ...rest } = session;
  return { ...rest, recordedAt: new Date(session.recordedAt) };
}

function toProtoItem(item: AgendaItemView): partyBuildingV1.AgendaItem {
  const { status: _status, ...rest } = item;
  return { ...rest, history: item.history.map((change) => ({ ...change, at: new Date(change.at) })) };
}

function toProtoPairing(pairing: PairingView): partyBuildingV1.CoBuildingPairing {
  return { ...pairing, formedAt: new Date(pairing.formedAt) };
}
