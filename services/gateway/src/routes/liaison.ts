import { enumNames, partyBuildingV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { Router } from "express";
import { z } from "zod";
import { checkedInput } from "../checked-input.js";
import type { GrpcCall } from "../grpc-call.js";

const targetKindNames = enumNames(partyBuildingV1.LiaisonTargetKind, "LIAISON_TARGET_KIND_");
const visitKindNames = enumNames(partyBuildingV1.VisitKind, "VISIT_KIND_");
const problemStatusNames = enumNames(partyBuildingV1.ProblemStatus, "PROBLEM_STATUS_");
const names = (values: readonly string[]) => values as [string, ...string[]];

const areaCode = z.string().max(18);
const assignBody = z
  .object({
    cadreId: z.string().max(64),
    name: z.string().max(100),
    targetKind: z.enum(names(targetKindNames.names)),
    targetId: z.string().max(64),
    areaId: areaCode.default(""),
  })
  .strict();
const visitBody = z
  .object({
    kind: z.enum(names(visitKindNames.names)),
    areaId: areaCode,
    enterpriseId: z.string().max(64).default(""),
    households: z.number().int(),
    note: z.string().max(4_000).default(""),
  })
  .strict();
const problemBody = z
  .object({
    categoryCode: z.string().max(64),
    title: z.string().max(200),
    description: z.string().max(4_000),
    address: z.string().max(400).default(""),
    areaId: areaCode.default(""),
  })
  .strict();
const statisticsQuery = z.object({ areaId: areaCode.default("") }).strict();

const iso = (date: Date | undefined) => date?.toISOString() ?? null;

export function cadreJson(cadre: partyBuildingV1.LiaisonCadre) {
  return {
    ...cadre,
    assignments: cadre.assignments.map((assignment) => ({
      ...assignment,
      targetKind: targetKindNames.toName(assignment.targetKind),
      assignedAt: iso(assignment.assignedAt),
    })),
  };
}

export function visitJson(visit: partyBuildingV1.Visit) {
  return {
    ...visit,
    kind: visitKindNames.toName(visit.kind),
    enterpriseId: visit.enterpriseId || null,
    at: iso(visit.at),
  };
}

export function problemJson(problem: partyBuildingV1.CollectedProblem) {
  return {
    ...problem,
    status: problemStatusNames.toName(problem.status),
    collectedAt: iso(problem.collectedAt),
    caseId: problem.caseId || null,
    solvedAt: iso(problem.solvedAt),
  };
}

/** Liaison work: see LiaisonService in proto/. */
export function liaisonRoutes({
  liaison,
  call,
}: {
  liaison: partyBuildingV1.LiaisonServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const required = <Value>(value: Value | undefined, what: string): Value => {
    if (value === undefined) throw new Error(`LiaisonService answered without ${what}`);
    return value;
  };

  router.post("/api/v1/liaison-assignments", async (request, response) => {
    const body = checkedInput(assignBody, request.body, request, response);
    if (!body) return;
    const assigned = await call<partyBuildingV1.AssignLiaisonResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        liaison.assignLiaison(
          { ...body, targetKind: targetKindNames.fromName(body.targetKind) },
          metadata,
          options,
          callback,
        ),
    );
    response.json(cadreJson(required(assigned.cadre, "a cadre")));
  });

  router.get("/api/v1/liaison-cadres/:cadreId", async (request, response) => {
    const found = await call<partyBuildingV1.GetLiaisonCadreResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        liaison.getLiaisonCadre({ cadreId: request.params.cadreId as string }, metadata, options, callback),
    );
    response.json(cadreJson(required(found.cadre, "a cadre")));
  });

  router.post("/api/v1/party-visits", async (request, response) => {
    const body = checkedInput(visitBody, request.body, request, response);
    if (!body) return;
    const logged = await call<partyBuildingV1.LogVisitResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        liaison.logVisit({ ...body, kind: visitKindNames.fromName(body.kind) }, metadata, options, callback),
    );
    response.status(201).json(visitJson(required(logged.visit, "a visit")));
  });

  router.post("/api/v1/party-visits/:visitId/problems", async (request, response) => {
    const body = checkedInput(problemBody, request.body, request, response);
    if (!body) return;
    const collected = await call<partyBuildingV1.CollectProblemResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        liaison.collectProblem(
          { visitId: request.params.visitId as string, ...body },
          metadata,
          options,
          callback,
        ),
    );
    const problem = problemJson(required(collected.problem, "a problem"));
    response.status(201).location(`/api/v1/party-problems/${problem.problemId}`).json(problem);
  });

  router.get("/api/v1/party-problems/:problemId", async (request, response) => {
    const found = await call<partyBuildingV1.GetProblemResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        liaison.getProblem({ problemId: request.params.problemId as string }, metadata, options, callback),
    );
    response.json(problemJson(required(found.problem, "a problem")));
  });

  router.get("/api/v1/liaison-statistics", async (request, response) => {
    const query = checkedInput(statisticsQuery, request.query, request, response);
    if (!query) return;
    const statistics = await call<partyBuildingV1.GetLiaisonStatisticsResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        liaison.getLiaisonStatistics(query, metadata, options, callback),
    );
    response.json({
      ...statistics,
      areaId: statistics.areaId || null,
      solveRate: statistics.solveRate ?? null,
    });
  });

  return router;
}
