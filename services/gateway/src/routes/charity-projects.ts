import { enumNames, socialRegistryV1 } from "@civic/contracts";
import { type Request, Router } from "express";
import { z } from "zod";
import { checkedInput } from "../checked-input.js";
import type { GrpcCall } from "../grpc-call.js";

const v1 = socialRegistryV1;
const statusNames = enumNames(v1.ProjectStatus, "PROJECT_STATUS_");
const funderKindNames = enumNames(v1.FunderKind, "FUNDER_KIND_");
const fundingKindNames = enumNames(v1.FundingKind, "FUNDING_KIND_");
const names = (values: readonly string[]) => values as [string, ...string[]];

const fen = z.number().int();
const date = z.string().max(10).default("");
const needBody = z
  .object({
    areaId: z.string().max(18),
    title: z.string(),
    description: z.string(),
    askedFen: fen.default(0),
  })
  .strict();
const proposalBody = z
  .object({ organisationCreditCode: z.string().max(18), plan: z.string(), budgetFen: fen })
  .strict();
const fundingBody = z
  .object({
    kind: z.enum(names(fundingKindNames.names)),
    funder: z
      .object({ kind: z.enum(names(funderKindNames.names)), funderId: z.string().max(64), name: z.string() })
      .strict(),
    amountFen: fen,
    on: date,
  })
  .strict();
const milestoneBody = z
  .object({
    title: z.string(),
    progressPercent: z.number().int(),
    reachedOn: date,
    note: z.string().default(""),
  })
  .strict();
const supervisionBody = z.object({ note: z.string() }).strict();
const completionBody = z.object({ peopleServed: z.number().int(), completedOn: date }).strict();
const score = z.number().int();
const evaluationBody = z
  .object({
    scores: z.object({ relevance: score, delivery: score, effect: score, finance: score }).strict(),
    comment: z.string().default(""),
  })
  .strict();
const emptyBody = z.object({}).strict();
const listQuery = z
  .object({
    areaId: z.string().max(18).default(""),
    status: z.enum(names(statusNames.names)).optional(),
    pageSize: z.coerce.number().int().default(0),
    pageToken: z.string().max(200).default(""),
  })
  .strict();

export function charityProjectJson(project: socialRegistryV1.CharityProject) {
  return {
    ...project,
    status: statusNames.toName(project.status),
    origin: project.origin ?? null,
    deliveringOrganisation: project.deliveringOrganisation || null,
    funding: project.funding.map((transaction) => ({
      ...transaction,
      kind: fundingKindNames.toName(transaction.kind),
      funder: transaction.funder && {
        ...transaction.funder,
        kind: funderKindNames.toName(transaction.funder.kind),
      },
    })),
    totals: project.totals && { ...project.totals, leverageRatio: project.totals.leverageRatio ?? null },
    completedOn: project.completedOn || null,
    evaluation: project.evaluation ?? null,
  };
}

const projectOf = (answer: { project?: socialRegistryV1.CharityProject | undefined }) => {
  if (!answer.project) throw new Error("CharityProjectService answered without a project");
  return charityProjectJson(answer.project);
};

type ProjectAnswer = { project?: socialRegistryV1.CharityProject | undefined };

/** Micro-charity venture projects: see CharityProjectService in proto/. */
export function charityProjectRoutes({
  projects,
  call,
}: {
  projects: socialRegistryV1.CharityProjectServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const projectIdOf = (request: Request) => String(request.params.projectId);

  router.post("/api/v1/charity-projects", async (request, response) => {
    const body = checkedInput(needBody, request.body, request, response);
    if (!body) return;
    const posted = await call<ProjectAnswer>(request, (metadata, options, callback) =>
      projects.postNeed(body, metadata, options, callback),
    );
    const project = projectOf(posted);
    response.status(201).location(`/api/v1/charity-projects/${project.projectId}`).json(project);
  });

  router.get("/api/v1/charity-projects/:projectId", async (request, response) => {
    const found = await call<ProjectAnswer>(request, (metadata, options, callback) =>
      projects.getCharityProject({ projectId: projectIdOf(request) }, metadata, options, callback),
    );
    response.json(projectOf(found));
  });

  router.get("/api/v1/charity-projects", async (request, response) => {
    const query = checkedInput(listQuery, request.query, request, response);
    if (!query) return;
    const page = await call<socialRegistryV1.ListCharityProjectsResponse>(
      request,
      (metadata, options, callback) =>
        projects.listCharityProjects(
          { ...query, status: statusNames.fromName(query.status ?? "") },
          metadata,
          options,
          callback,
        ),
    );
    response.json({
      projects: page.projects.map(charityProjectJson),
      nextPageToken: page.nextPageToken || null,
    });
  });

  /** A step of the project: checks the body, calls, answers the project. */
  const step = <Schema extends z.ZodType>(
    path: string,
    schema: Schema,
    invoke: (projectId: string, body: z.infer<Schema>, request: Request) => Promise<ProjectAnswer>,
    created = false,
  ) => {
    router.post(`/api/v1/charity-projects/:projectId/${path}`, async (request, response) => {
      const body = checkedInput(schema, request.body ?? {}, request, response);
      if (body === undefined) return;
      const answer = await invoke(projectIdOf(request), body, request);
      response.status(created ? 201 : 200).json(projectOf(answer));
    });
  };

  step("coordination", emptyBody, (projectId, _body, request) =>
    call(request, (metadata, options, callback) =>
      projects.startCoordination({ projectId }, metadata, options, callback),
    ),
  );
  step(
    "proposals",
    proposalBody,
    (projectId, body, request) =>
      call(request, (metadata, options, callback) =>
        projects.submitProposal({ projectId, ...body }, metadata, options, callback),
      ),
    true,
  );
  router.post(
    "/api/v1/charity-projects/:projectId/proposals/:proposalId/selection",
    async (request, response) => {
      const body = checkedInput(emptyBody, request.body ?? {}, request, response);
      if (!body) return;
      const selected = await call<ProjectAnswer>(request, (metadata, options, callback) =>
        projects.selectProposal(
          { projectId: projectIdOf(request), proposalId: String(request.params.proposalId) },
          metadata,
          options,
          callback,
        ),
      );
      response.json(projectOf(selected));
    },
  );
  step(
    "funding",
    fundingBody,
    (projectId, body, request) =>
      call(request, (metadata, options, callback) =>
        projects.recordFunding(
          {
            projectId,
            ...body,
            kind: fundingKindNames.fromName(body.kind),
            funder: { ...body.funder, kind: funderKindNames.fromName(body.funder.kind) },
          },
          metadata,
          options,
          callback,
        ),
      ),
    true,
  );
  step("delivery", emptyBody, (projectId, _body, request) =>
    call(request, (metadata, options, callback) =>
      projects.startDelivery({ projectId }, metadata, options, callback),
    ),
  );
  step(
    "milestones",
    milestoneBody,
    (projectId, body, request) =>
      call(request, (metadata, options, callback) =>
        projects.reachMilestone({ projectId, ...body }, metadata, options, callback),
      ),
    true,
  );
  step(
    "supervision-notes",
    supervisionBody,
    (projectId, body, request) =>
      call(request, (metadata, options, callback) =>
        projects.noteSupervision({ projectId, ...body }, metadata, options, callback),
      ),
    true,
  );
  step("completion", completionBody, (projectId, body, request) =>
    call(request, (metadata, options, callback) =>
      projects.completeProject({ projectId, ...body }, metadata, options, callback),
    ),
  );
  step("evaluation", evaluationBody, (projectId, body, request) =>
    call(request, (metadata, options, callback) =>
      projects.evaluateProject({ projectId, ...body }, metadata, options, callback),
    ),
  );

  return router;
}
