import { gridCasesV1 } from "@civic/contracts";
import { NotFoundError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type { PatrolDesk } from "../app/patrol-desk.js";
import type { Patrol, PatrolPlanState } from "../domain/grid-patrol.js";

/** gRPC face of whole-subject grid patrols. */
export function patrolGrpcService(patrols: PatrolDesk): GrpcServiceRegistration {
  const patrolReply = replyWith("patrol", toProtoPatrol);
  return unaryService(gridCasesV1.PatrolServiceService, {
    setPatrolPlan: async (request, { caller }) => {
      const { plan, version } = await patrols.setPlan(request.gridId, request.frequencies, caller);
      return { plan: toProtoPlan(request.gridId, plan, version) };
    },
    getPatrolPlan: async (request) => {
      const { plan, version } = await patrols.plan(request.gridId);
      return { plan: toProtoPlan(request.gridId, plan, version) };
    },
    recordPatrol: (request, { caller }) =>
      patrolReply(
        patrols.record(
          {
            gridId: request.gridId,
            subjects: request.subjects,
            patrolledAt: request.patrolledAt ?? new Date(Number.NaN),
            notes: request.notes,
            findings: request.findings,
          },
          caller,
        ),
      ),
    getPatrol: (request, { caller }) => patrolReply(patrols.get(request.patrolId, caller)),
    referPatrolFinding: async (request, { caller }) =>
      patrols.referFinding(request.patrolId, request.findingId, caller),
    getPatrolCoverage: async (request) => {
      const coverage = await patrols.coverage(request.gridId, request.period);
      return {
        gridId: request.gridId,
        period: request.period,
        subjects: coverage.subjects,
        ...(coverage.coveragePercent === null ? {} : { coveragePercent: coverage.coveragePercent }),
      };
    },
  });
}

function toProtoPlan(gridId: string, plan: PatrolPlanState, version: number): gridCasesV1.PatrolPlan {
  if (plan.status === "none") throw new NotFoundError("patrol plan of grid", gridId);
  return {
    gridId: plan.gridId,
    frequencies: plan.frequencies,
    setBy: plan.setBy,
    setAt: new Date(plan.setAt),
    version,
  };
}

const toProtoPatrol = (patrol: Patrol): gridCasesV1.Patrol => ({
  patrolId: patrol.patrolId,
  gridId: patrol.gridId,
  period: patrol.period,
  subjects: patrol.subjects,
  patrolledAt: new Date(patrol.patrolledAt),
  notes: patrol.notes,
  findings: patrol.findings,
  recordedBy: patrol.by,
  recordedAt: new Date(patrol.recordedAt),
});
