import { gridCasesV1 } from "@civic/contracts";
import { AreaCode, InvalidArgumentError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { SafetyFollowUpDesk } from "../app/safety-follow-up-desk.js";
import type { SafetyIndexDesk, SafetyIndexView } from "../app/safety-index-desk.js";
import type { SafetyFollowUp } from "../domain/safety-follow-up.js";
import type { SafetyIndex } from "../domain/safety-index.js";

function requireAreaId(areaId: string): void {
  if (!AreaCode.isPrefix(areaId, { min: 6 }))
    throw new InvalidArgumentError([{ field: "areaId", description: "must be an area code" }]);
}

/** gRPC face of the safety index. */
export function safetyIndexGrpcService(
  desk: SafetyIndexDesk,
  followUps: SafetyFollowUpDesk,
): GrpcServiceRegistration {
  return unaryService(gridCasesV1.SafetyIndexServiceService, {
    recordIncidentCount: async (request, { caller }) => {
      requireAreaId(request.areaId);
      return { safetyIndex: toProto(await desk.recordCount(request, caller)) };
    },
    publishSafetyIndex: async (request, { caller }) => {
      requireAreaId(request.areaId);
      return { safetyIndex: toProto(await desk.publish(request.areaId, request.period, caller)) };
    },
    getSafetyIndex: async (request) => {
      requireAreaId(request.areaId);
      return { safetyIndex: toProto(await desk.get(request.areaId, request.period)) };
    },
    recordIncident: async (request, { caller }) => {
      requireAreaId(request.areaId);
      const { incident, created } = await desk.recordIncident(
        {
          source: request.source,
          incidentId: request.incidentId,
          indicator: request.indicator,
          areaId: request.areaId,
          occurredAt: request.occurredAt ?? new Date(Number.NaN),
        },
        caller,
      );
      return {
        created,
        incident: {
          ...incident,
          occurredAt: new Date(incident.occurredAt),
          recordedAt: new Date(incident.recordedAt),
        },
      };
    },
    closeSafetyFollowUpTask: async (request, { caller }) => {
      requireAreaId(request.areaId);
      const followUp = await followUps.closeTask(
        request.areaId,
        request.period,
        { kind: request.kind, outcome: request.outcome },
        caller,
      );
      return { followUp: followUpToProto(followUp) };
    },
    listStreetSafetyIndexes: async (request) => {
      requireAreaId(request.districtId);
      const page = await desk.listStreets(request.districtId, request.period, request);
      return { streets: page.streets.map(toProto), nextPageToken: page.nextPageToken };
    },
  });
}

const score = (index: SafetyIndex | null): gridCasesV1.SafetyIndexScore | undefined =>
  index
    ? {
        population: index.population,
        indicators: index.indicators.map(({ key, count, ratePer10k, score }) => ({
          key,
          count,
          ratePer10k,
          score,
        })),
        score: index.score,
        level: index.level,
      }
    : undefined;

function toProto(view: SafetyIndexView): gridCasesV1.SafetyIndexPeriod {
  return {
    ...view,
    current: score(view.current),
    published: score(view.published),
    publishedAt: view.published ? new Date(view.published.publishedAt) : undefined,
    followUp: view.followUp ? followUpToProto(view.followUp) : undefined,
  };
}

const followUpToProto = (followUp: SafetyFollowUp): gridCasesV1.SafetyFollowUp => ({
  status: followUp.status,
  level: followUp.level,
  score: 0,
  indexScore: followUp.score,
  openedAt: new Date(followUp.openedAt),
  tasks: followUp.tasks.map((task) => ({
    kind: task.kind,
    status: task.status,
    outcome: task.outcome,
    closedBy: task.closedBy,
    closedAt: task.closedAt ? new Date(task.closedAt) : undefined,
  })),
});
