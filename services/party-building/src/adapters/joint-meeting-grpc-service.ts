import type { partyBuildingV1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { AgendaItemView, JointMeetingDesk, JointMeetingView } from "../app/joint-meeting-desk.js";
import type { PairingDesk, PairingView } from "../app/pairing-desk.js";
import type { JointSession } from "../domain/joint-session.js";
import { expectedVersionOf, requireId } from "./enum-mapping.js";

const method = (name: string) => `civic.party_building.v1.JointMeetingService/${name}`;

/** gRPC face of joint meetings, their agenda items and pairings. */
export function jointMeetingGrpcService(
  meetings: JointMeetingDesk,
  pairings: PairingDesk,
): partyBuildingV1.JointMeetingServiceServer {
  return {
    joinJointMeeting: unaryHandler(
      method("JoinJointMeeting"),
      async (request: partyBuildingV1.JoinJointMeetingRequest, { caller }) => {
        const { communityAreaId, ...unit } = request;
        return { jointMeeting: toProtoMeeting(await meetings.joinUnit(communityAreaId, unit, caller)) };
      },
    ),
    leaveJointMeeting: unaryHandler(
      method("LeaveJointMeeting"),
      async (request: partyBuildingV1.LeaveJointMeetingRequest, { caller }) => {
        requireId("unitId", request.unitId);
        const { communityAreaId, unitId, leftOn } = request;
        return {
          jointMeeting: toProtoMeeting(await meetings.leaveUnit(communityAreaId, unitId, leftOn, caller)),
        };
      },
    ),
    getJointMeeting: unaryHandler(
      method("GetJointMeeting"),
      async (request: partyBuildingV1.GetJointMeetingRequest, { caller }) => ({
        jointMeeting: toProtoMeeting(await meetings.get(request.communityAreaId, caller)),
      }),
    ),
    recordJointMeetingSession: unaryHandler(
      method("RecordJointMeetingSession"),
      async (request: partyBuildingV1.RecordJointMeetingSessionRequest, { caller }) => {
        const { communityAreaId, ...session } = request;
        return { session: toProtoSession(await meetings.recordSession(communityAreaId, session, caller)) };
      },
    ),
    listJointMeetingSessions: unaryHandler(
      method("ListJointMeetingSessions"),
      async (request: partyBuildingV1.ListJointMeetingSessionsRequest, { caller }) => {
        const { communityAreaId, ...page } = request;
        const found = await meetings.listSessions(communityAreaId, page, caller);
        return { sessions: found.sessions.map(toProtoSession), nextPageToken: found.nextPageToken };
      },
    ),
    proposeAgendaItem: unaryHandler(
      method("ProposeAgendaItem"),
      async (request: partyBuildingV1.ProposeAgendaItemRequest, { caller }) => {
        const { communityAreaId, ...item } = request;
        return { item: toProtoItem(await meetings.proposeItem(communityAreaId, item, caller)) };
      },
    ),
    listAgendaItems: unaryHandler(
      method("ListAgendaItems"),
      async (request: partyBuildingV1.ListAgendaItemsRequest, { caller }) => {
        const { communityAreaId, stage, ...page } = request;
        const found = await meetings.listItems(communityAreaId, stage, page, caller);
        return { items: found.items.map(toProtoItem), nextPageToken: found.nextPageToken };
      },
    ),
    getAgendaItem: unaryHandler(
      method("GetAgendaItem"),
      async (request: partyBuildingV1.GetAgendaItemRequest, { caller }) => {
        requireId("itemId", request.itemId);
        return { item: toProtoItem(await meetings.getItem(request.itemId, caller)) };
      },
    ),
    advanceAgendaItem: unaryHandler(
      method("AdvanceAgendaItem"),
      async (request: partyBuildingV1.AdvanceAgendaItemRequest, { caller }) => {
        requireId("itemId", request.itemId);
        const expected = expectedVersionOf(request.expectedVersion);
        const item = await meetings.advanceItem(request.itemId, request.to, request.note, expected, caller);
        return { item: toProtoItem(item) };
      },
    ),
    formPairing: unaryHandler(
      method("FormPairing"),
      async (request: partyBuildingV1.FormPairingRequest, { caller }) => ({
        pairing: toProtoPairing(await pairings.form(request, caller)),
      }),
    ),
    getPairing: unaryHandler(
      method("GetPairing"),
      async (request: partyBuildingV1.GetPairingRequest, { caller }) => ({
        pairing: toProtoPairing(await pairings.get(request.pairingId, caller)),
      }),
    ),
    listPairings: unaryHandler(
      method("ListPairings"),
      async (request: partyBuildingV1.ListPairingsRequest, { caller }) => {
        const { communityAreaId, activeOnly, ...page } = request;
        const found = await pairings.list(communityAreaId, activeOnly, page, caller);
        return { pairings: found.pairings.map(toProtoPairing), nextPageToken: found.nextPageToken };
      },
    ),
    endPairing: unaryHandler(
      method("EndPairing"),
      async (request: partyBuildingV1.EndPairingRequest, { caller }) => ({
        pairing: toProtoPairing(await pairings.end(request.pairingId, request.endedOn, request.note, caller)),
      }),
    ),
  };
}

function toProtoMeeting(meeting: JointMeetingView): partyBuildingV1.JointMeeting {
  return {
    communityAreaId: meeting.communityAreaId,
    units: meeting.units.map((unit) => ({ ...unit, joinedAt: new Date(unit.joinedAt) })),
    // Snapshots written before units could leave have no formerUnits.
    formerUnits: (meeting.formerUnits ?? []).map((unit) => ({
      ...unit,
      joinedAt: new Date(unit.joinedAt),
      leftAt: new Date(unit.leftAt),
    })),
    version: meeting.version,
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
