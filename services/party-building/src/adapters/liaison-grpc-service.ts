import { enumNames, partyBuildingV1 } from "@civic/contracts";
import { AreaCode, InvalidArgumentError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { LiaisonDesk } from "../app/liaison-desk.js";
import type { CollectedProblem } from "../domain/collected-problem.js";
import type { LiaisonCadre, LoggedVisit } from "../domain/liaison.js";
import { requireId } from "./enum-mapping.js";

const targetKindNames = enumNames(partyBuildingV1.LiaisonTargetKind, "LIAISON_TARGET_KIND_");
const visitKindNames = enumNames(partyBuildingV1.VisitKind, "VISIT_KIND_");
const problemStatusNames = enumNames(partyBuildingV1.ProblemStatus, "PROBLEM_STATUS_");

/** gRPC face of liaison work. */
export function liaisonGrpcService(desk: LiaisonDesk): GrpcServiceRegistration {
  return unaryService(partyBuildingV1.LiaisonServiceService, {
    assignLiaison: async (request, { caller }) => {
      const { cadre, created } = await desk.assign(
        { ...request, targetKind: targetKindNames.toName(request.targetKind) },
        caller,
      );
      return { cadre: toProtoCadre(cadre), created };
    },
    getLiaisonCadre: async (request, { caller }) => {
      requireId("cadreId", request.cadreId);
      return { cadre: toProtoCadre(await desk.cadre(request.cadreId, caller)) };
    },
    logVisit: async (request, { caller }) => ({
      visit: toProtoVisit(
        await desk.logVisit({ ...request, kind: visitKindNames.toName(request.kind) }, caller),
      ),
    }),
    collectProblem: async (request, { caller }) => {
      requireId("visitId", request.visitId);
      const { visitId, ...problem } = request;
      return { problem: toProtoProblem(await desk.collectProblem(visitId, problem, caller)) };
    },
    getProblem: async (request, { caller }) => {
      requireId("problemId", request.problemId);
      return { problem: toProtoProblem(await desk.problem(request.problemId, caller)) };
    },
    getLiaisonStatistics: async (request, { caller }) => {
      if (request.areaId !== "" && !AreaCode.is(request.areaId, "district", "street", "community")) {
        throw new InvalidArgumentError([
          { field: "areaId", description: "must be a district, street or community code, or empty" },
        ]);
      }
      const { solveRate, ...figures } = await desk.liaisonStatistics(request.areaId, caller);
      return { ...figures, ...(solveRate === null ? {} : { solveRate }) };
    },
  });
}

function toProtoCadre(cadre: LiaisonCadre): partyBuildingV1.LiaisonCadre {
  return {
    ...cadre,
    assignments: cadre.assignments.map((assignment) => ({
      targetKind: targetKindNames.fromName(assignment.targetKind),
      targetId: assignment.targetId,
      areaId: assignment.areaId,
      assignedBy: assignment.assignedBy,
      assignedAt: new Date(assignment.assignedAt),
    })),
  };
}

function toProtoVisit(visit: LoggedVisit): partyBuildingV1.Visit {
  const { status: _status, kind, at, ...rest } = visit;
  return { ...rest, kind: visitKindNames.fromName(kind), at: new Date(at) };
}

function toProtoProblem(problem: CollectedProblem): partyBuildingV1.CollectedProblem {
  const { status, collectedAt, solvedAt, ...rest } = problem;
  return {
    ...rest,
    status: problemStatusNames.fromName(status),
    collectedAt: new Date(collectedAt),
    solvedAt: solvedAt ? new Date(solvedAt) : undefined,
  };
}
