import { gridCasesV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type { DisputeDesk } from "../app/dispute-desk.js";
import type { Dispute, DisputeState } from "../domain/dispute.js";

/** gRPC face of dispute mediation. */
export function disputeGrpcService(disputes: DisputeDesk): GrpcServiceRegistration {
  const disputeReply = replyWith("dispute", toProtoDispute);
  return unaryService(gridCasesV1.DisputeServiceService, {
    openDispute: (request, { caller }) =>
      disputeReply(disputes.open(request.caseId, participantsOf(request), caller)),
    openDisputeFromPatrolFinding: (request, { caller }) =>
      disputeReply(
        disputes.openFromFinding(request.patrolId, request.findingId, participantsOf(request), caller),
      ),
    getDispute: (request, { caller }) => disputeReply(disputes.get(request.caseId, caller)),
    listDisputes: async (request, { caller }) => {
      const { disputes: found, nextPageToken } = await disputes.list(
        { areaId: request.areaId, status: request.status },
        { pageSize: request.pageSize, pageToken: request.pageToken },
        caller,
      );
      return { disputes: found.map(toProtoDispute), nextPageToken };
    },
    recordMediationSession: (request, { caller }) =>
      disputeReply(
        disputes.recordSession(
          request.caseId,
          { heldOn: request.heldOn, place: request.place, summary: request.summary },
          caller,
        ),
      ),
    recordMediationOutcome: (request, { caller }) =>
      disputeReply(
        disputes.recordOutcome(
          request.caseId,
          {
            outcome: request.outcome,
            terms: request.terms,
            reason: request.reason,
            referral: request.referral,
          },
          caller,
        ),
      ),
    recordFollowUpVisit: (request, { caller }) =>
      disputeReply(
        disputes.followUp(
          request.caseId,
          { visitedOn: request.visitedOn, agreementKept: request.agreementKept, note: request.note },
          caller,
        ),
      ),
    getMediationRate: async (request, { caller }) => {
      const { mediationRate, keyMediationRate, ...counters } = await disputes.rate(
        request.areaId,
        request.period,
        caller,
      );
      return {
        ...counters,
        ...(mediationRate === null ? {} : { mediationRate }),
        ...(keyMediationRate === null ? {} : { keyMediationRate }),
      };
    },
  });
}

const participantsOf = (request: {
  parties: gridCasesV1.DisputeParty[];
  mediators: gridCasesV1.Mediator[];
  key: boolean;
}) => ({
  parties: request.parties,
  mediators: request.mediators,
  key: request.key,
});

function toProtoDispute({ state, version }: { state: DisputeState; version: number }): gridCasesV1.Dispute {
  const dispute = state as Dispute;
  return {
    caseId: dispute.caseId,
    areaId: dispute.areaId,
    categoryCode: dispute.categoryCode,
    title: dispute.title,
    status: dispute.status,
    parties: dispute.parties,
    mediators: dispute.mediators,
    sessions: dispute.sessions.map((session) => ({ ...session, recordedAt: new Date(session.recordedAt) })),
    ...(dispute.outcome
      ? { outcome: { ...dispute.outcome, recordedAt: new Date(dispute.outcome.recordedAt) } }
      : {}),
    ...(dispute.followUp
      ? { followUp: { ...dispute.followUp, recordedAt: new Date(dispute.followUp.recordedAt) } }
      : {}),
    key: dispute.key,
    openedBy: dispute.openedBy,
    openedAt: new Date(dispute.openedAt),
    version,
  };
}
