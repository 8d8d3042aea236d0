import { socialRegistryV1 } from "@civic/contracts";
import type { Caller } from "@civic/domain-kit";
import { domainStream, ensureDomainStream } from "@civic/event-log";
import { status } from "@grpc/grpc-js";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { projectIdForOrigin } from "./app/charity-project-desk.js";
import { withCreditCodeCheck } from "./domain/credit-code.js";
import { failureOf, startTestService } from "./testing/running-service.js";

const v1 = socialRegistryV1;
const admin: Caller = { subject: "admin-1", roles: ["platform_admin"], areas: [] };
const hub: Caller = { subject: "hub-xz", roles: ["charity_hub"], areas: ["440402"] };
const organisationCode = withCreditCodeCheck("52440402MJL000024");

describe("charity projects over gRPC, against real NATS and the database", () => {
  let bed: Awaited<ReturnType<typeof startTestService>>;
  let nats: NatsConnection;

  const projectCall = <Request, Response>(
    invoke: (request: Request, metadata: never, callback: never) => unknown,
    request: Request,
    caller: Caller = hub,
  ) => bed.call<Request, Response>(bed.projects, invoke as never, request, caller);
  const getProject = (projectId: string) =>
    projectCall<socialRegistryV1.GetCharityProjectRequest, socialRegistryV1.GetCharityProjectResponse>(
      bed.projects.getCharityProject,
      { projectId },
    ).then((answer) => answer.project as socialRegistryV1.CharityProject);
  const fund = (projectId: string, kind: socialRegistryV1.FundingKind, funderId: string, amountFen: number) =>
    projectCall<socialRegistryV1.RecordFundingRequest, socialRegistryV1.RecordFundingResponse>(
      bed.projects.recordFunding,
      {
        projectId,
        kind,
        funder: { kind: v1.FunderKind.FUNDER_KIND_ENTERPRISE, funderId, name: `企业 ${funderId}` },
        amountFen,
        on: "",
      },
    );

  /** A posted need, coordinated, with the organisation's proposal of `budgetFen` selected. */
  async function projectOpenForFunding(budgetFen: number): Promise<string> {
    const posted = await projectCall<socialRegistryV1.PostNeedRequest, socialRegistryV1.PostNeedResponse>(
      bed.projects.postNeed,
      { areaId: "440402001002", title: "长者助餐", description: "独居长者送餐", askedFen: budgetFen },
    );
    const projectId = posted.project?.projectId as string;
    await projectCall(bed.projects.startCoordination, { projectId });
    const proposed = await projectCall<
      socialRegistryV1.SubmitProposalRequest,
      socialRegistryV1.SubmitProposalResponse
    >(bed.projects.submitProposal, {
      projectId,
      organisationCreditCode: organisationCode,
      plan: "每周三次送餐",
      budgetFen,
    });
    await projectCall(bed.projects.selectProposal, {
      projectId,
      proposalId: proposed.project?.proposals[0]?.proposalId ?? "",
    });
    return projectId;
  }

  beforeAll(async () => {
    bed = await startTestService(inject("mongoUri"), inject("natsUrl"), "social_registry_projects");
    nats = await connect({ servers: inject("natsUrl") });
    const organisationCall = (invoke: never, request: object) =>
      bed.call(bed.organisations, invoke, request, admin);
    await organisationCall(bed.organisations.registerOrganisation as never, {
      creditCode: organisationCode,
      name: "香洲区长者服务中心",
      legalForm: v1.LegalForm.LEGAL_FORM_PRIVATE_NON_ENTERPRISE_UNIT,
      category: v1.OrganisationCategory.ORGANISATION_CATEGORY_SOCIAL_AFFAIRS,
      areaId: "440402",
      filedOn: "",
    });
    for (const action of [
      v1.StatusAction.STATUS_ACTION_APPROVE_REGISTRATION,
      v1.StatusAction.STATUS_ACTION_ACTIVATE,
    ]) {
      await organisationCall(bed.organisations.changeOrganisationStatus as never, {
        creditCode: organisationCode,
        action,
        reason: "",
        effectiveOn: "",
      });
    }
  });
  afterAll(async () => {
    await nats.drain();
    await bed.stop();
  });

  it("30 commitments of 1,000 fen at once against 10,000 fen asked: never more committed than asked", async () => {
    const projectId = await projectOpenForFunding(10_000);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) =>
        fund(projectId, v1.FundingKind.FUNDING_KIND_COMMITMENT, `enterprise-${index}`, 1_000),
      ),
    );
    const committed = results.filter((result) => result.status === "fulfilled");
    const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason.code] : []));
    // Each refusal is "changed concurrently" (the call came before the need was met and lost
    // the race) or "beyond the need" (it came after).
    for (const code of refused) expect([status.FAILED_PRECONDITION, status.ABORTED]).toContain(code);
    expect(committed.length).toBeLessThanOrEqual(10);
    const project = await getProject(projectId);
    expect(project.totals?.committedFen).toBe(committed.length * 1_000);
    expect(project.totals?.committedFen).toBeLessThanOrEqual(10_000);
    expect(project.funding).toHaveLength(committed.length);
    const events = await bed.db.collection("events").countDocuments({ stream: `project-${projectId}` });
    expect(events).toBe(4 + committed.length);
  });

  it("refuses funding beyond the need and scores out of range, changing nothing", async () => {
    const projectId = await projectOpenForFunding(50_000);
    await fund(projectId, v1.FundingKind.FUNDING_KIND_COMMITMENT, "gree", 30_000);
    const before = await getProject(projectId);
    const beyond = await failureOf(fund(projectId, v1.FundingKind.FUNDING_KIND_COMMITMENT, "midea", 20_001));
    expect(beyond.code).toBe(status.FAILED_PRECONDITION);
    expect(beyond.details).toBe(
      "a commitment of 20001 fen would exceed the need: 20000 of 50000 fen still open",
    );
    expect(await getProject(projectId)).toEqual(before);

    await projectCall(bed.projects.startDelivery, { projectId });
    await projectCall(bed.projects.completeProject, { projectId, peopleServed: 120, completedOn: "" });
    const completed = await getProject(projectId);
    const outOfRange = await failureOf(
      projectCall(
        bed.projects.evaluateProject,
        { projectId, scores: { relevance: 101, delivery: 80, effect: 80, finance: 80 }, comment: "" },
        { subject: "evaluator-1", roles: ["evaluator"], areas: [] },
      ),
    );
    expect(outOfRange.code).toBe(status.INVALID_ARGUMENT);
    expect(outOfRange.details).toBe("scores.relevance must be a whole score from 0 to 100");
    expect(await getProject(projectId)).toEqual(completed);
  });

  it("posts one project per deliberation task, its events carrying origin and task progress", async () => {
    const js = jetstream(nats);
    const deliberation = await ensureDomainStream(
      await jetstreamManager(nats),
      "deliberation",
      bed.namespace,
    );
    const task = {
      taskId: `task-${uuidv7()}`,
      resolutionId: "resolution-1",
      kind: "charity_project",
      areaId: "440402001002",
      title: "加装楼道扶手",
      description: "居民议事会决议:为老旧楼道加装扶手",
      budgetFen: 80_000,
      requestedBy: "deliberation-council",
      at: new Date().toISOString(),
    };
    const publish = async (data: Record<string, unknown>) => {
      const id = uuidv7();
      const subject = `${deliberation.subjectPrefix}.resolution.task_requested`;
      await js.publish(
        subject,
        JSON.stringify({
          specversion: "1.0",
          id,
          source: `${bed.namespace}/deliberation`,
          type: subject,
          subject: "resolution-1",
          time: new Date().toISOString(),
          datacontenttype: "application/json",
          data,
          stream: "resolution-1",
          streamversion: 1,
        }),
        { msgID: id },
      );
    };
    await publish({ ...task, kind: "volunteer_activity", taskId: "task-not-ours" });
    await publish(task);
    await publish(task);
    const projectId = projectIdForOrigin({ domain: "deliberation", reference: task.taskId });
    let project: socialRegistryV1.CharityProject | undefined;
    for (let attempt = 0; attempt < 50 && !project; attempt++) {
      project = await getProject(projectId).catch(() => undefined);
      if (!project) await new Promise((resume) => setTimeout(resume, 100));
    }
    expect(project).toMatchObject({
      status: v1.ProjectStatus.PROJECT_STATUS_NEED_POSTED,
      askedFen: 80_000,
      origin: { domain: "deliberation", reference: task.taskId },
    });
    expect(
      await getProject(projectIdForOrigin({ domain: "deliberation", reference: "task-not-ours" })).catch(
        (error) => error.code,
      ),
    ).toBe(status.NOT_FOUND);
    await projectCall(bed.projects.startCoordination, { projectId });

    const consumer = await js.consumers.get(domainStream("social-registry", bed.namespace).name, {
      filter_subjects: [`${bed.namespace}.social-registry.project.>`],
    });
    const seen: { type: string; origin: unknown; percent: unknown }[] = [];
    const messages = await consumer.fetch({ max_messages: 200, expires: 2_000 });
    for await (const message of messages) {
      const event = message.json<{
        subject: string;
        type: string;
        data: Record<string, { percent?: number }>;
      }>();
      if (event.subject === `project-${projectId}`)
        seen.push({ type: event.type, origin: event.data.origin, percent: event.data.taskProgress?.percent });
      if (seen.length === 2) break;
    }
    const origin = { domain: "deliberation", reference: task.taskId };
    expect(seen).toEqual([
      { type: `${bed.namespace}.social-registry.project.need_posted`, origin, percent: 0 },
      { type: `${bed.namespace}.social-registry.project.coordination_started`, origin, percent: 10 },
    ]);
    expect(await bed.db.collection("events").countDocuments({ stream: `project-${projectId}` })).toBe(2);
  });
});
