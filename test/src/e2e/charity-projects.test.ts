import { withCreditCodeCheck } from "@civic/social-registry";
import { beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const deliverer = withCreditCodeCheck("52440402MJL000024");

describe("micro-charity venture projects through the gateway", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startTestPlatform(mongoUri, natsUrl, 2_000, undefined, { socialRegistry: true }),
  );
  const tokens: Record<string, string> = {
    civilAffairs: bearer("civil-affairs-xz", { roles: ["civil_affairs"], areas: ["440402"] }),
    community: bearer("nancun-staff", { roles: ["community_staff"], areas: ["440402001002"] }),
    hub: bearer("hub-xz", { roles: ["charity_hub"], areas: ["440402"] }),
    gree: bearer("gree", { roles: ["enterprise"] }),
    evaluator: bearer("evaluator-1", { roles: ["evaluator"] }),
  };

  const send = async (method: string, path: string, body: unknown, authorization: string | undefined) => {
    const response = await fetch(`${platform().gatewayUrl}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    expect(
      (
        await send(
          "POST",
          "/api/v1/organisations",
          {
            creditCode: deliverer,
            name: "香洲区长者服务中心",
            legalForm: "private_non_enterprise_unit",
            category: "social_affairs",
            areaId: "440402",
          },
          tokens.civilAffairs,
        )
      ).status,
    ).toBe(201);
    for (const action of ["approve_registration", "activate"]) {
      await send(
        "POST",
        `/api/v1/organisations/${deliverer}/status-changes`,
        { action },
        tokens.civilAffairs,
      );
    }
  });

  it("runs the seed's chain: need → hub → enterprises fund → organisation delivers → public supervises → evaluated", async () => {
    const posted = await send(
      "POST",
      "/api/v1/charity-projects",
      { areaId: "440402001002", title: "长者助餐", description: "为独居长者送餐", askedFen: 12_000_000 },
      tokens.community,
    );
    expect(posted.status).toBe(201);
    const projectId = posted.body.projectId as string;
    const path = `/api/v1/charity-projects/${projectId}`;
    expect((await send("POST", `${path}/coordination`, {}, tokens.hub)).body.status).toBe("coordinating");
    const proposed = await send(
      "POST",
      `${path}/proposals`,
      { organisationCreditCode: deliverer, plan: "每周三次送餐", budgetFen: 10_000_000 },
      tokens.hub,
    );
    const proposalId = (proposed.body.proposals as { proposalId: string }[])[0]?.proposalId;
    expect(
      (await send("POST", `${path}/proposals/${proposalId}/selection`, {}, tokens.hub)).body,
    ).toMatchObject({
      status: "funding",
      deliveringOrganisation: deliverer,
      requestedFen: 10_000_000,
    });
    const government = await send(
      "POST",
      `${path}/funding`,
      {
        kind: "commitment",
        funder: { kind: "government", funderId: "xz-civil-affairs", name: "香洲区民政局" },
        amountFen: 8_000_000,
      },
      tokens.hub,
    );
    // Recorded on the project, which has the URL: 200 (docs/api.md, "How routes answer").
    expect(government.status).toBe(200);
    const enterprise = { kind: "enterprise", funderId: "gree", name: "格力电器" };
    const beyond = await send(
      "POST",
      `${path}/funding`,
      { kind: "commitment", funder: enterprise, amountFen: 2_000_001 },
      tokens.gree,
    );
    expect(beyond.status).toBe(400);
    expect(beyond.body.detail).toBe(
      "a commitment of 2000001 fen would exceed the need: 2000000 of 10000000 fen still open",
    );
    const committed = await send(
      "POST",
      `${path}/funding`,
      { kind: "commitment", funder: enterprise, amountFen: 2_000_000 },
      tokens.gree,
    );
    expect(committed.body.totals).toMatchObject({
      committedFen: 10_000_000,
      governmentCommittedFen: 8_000_000,
      socialCommittedFen: 2_000_000,
      leverageRatio: 0.25,
      openFen: 0,
    });
    await send(
      "POST",
      `${path}/funding`,
      { kind: "disbursement", funder: enterprise, amountFen: 1_000_000 },
      tokens.gree,
    );
    expect((await send("POST", `${path}/delivery`, {}, tokens.hub)).body.status).toBe("delivering");
    await send("POST", `${path}/milestones`, { title: "首月送餐完成", progressPercent: 60 }, tokens.hub);
    expect(
      (await send("POST", `${path}/supervision-notes`, { note: "饭菜准时送到" }, undefined)).status,
    ).toBe(200);
    await send("POST", `${path}/completion`, { peopleServed: 86 }, tokens.hub);
    const outOfRange = await send(
      "POST",
      `${path}/evaluation`,
      { scores: { relevance: 92, delivery: 85, effect: 188, finance: 90 } },
      tokens.evaluator,
    );
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.errors).toEqual([
      { field: "scores.effect", detail: "must be a whole score from 0 to 100" },
    ]);
    const evaluated = await send(
      "POST",
      `${path}/evaluation`,
      { scores: { relevance: 92, delivery: 85, effect: 88, finance: 90 }, comment: "第三方评估" },
      tokens.evaluator,
    );
    expect(evaluated.body).toMatchObject({
      status: "evaluated",
      peopleServed: 86,
      evaluation: { overall: 88.8, evaluator: "evaluator-1" },
      totals: { disbursedFen: 1_000_000 },
    });
    expect((evaluated.body.supervisionNotes as { by: string }[])[0]?.by).toBe("anonymous");
    const listed = await send(
      "GET",
      "/api/v1/charity-projects?areaId=440402&status=evaluated",
      undefined,
      undefined,
    );
    expect((listed.body.projects as { projectId: string }[]).map((project) => project.projectId)).toEqual([
      projectId,
    ]);
  });

  it("lets only the area's hub coordinate, and an enterprise fund only as itself", async () => {
    const posted = await send(
      "POST",
      "/api/v1/charity-projects",
      { areaId: "440402001002", title: "楼道扶手", description: "加装扶手" },
      tokens.community,
    );
    const path = `/api/v1/charity-projects/${posted.body.projectId}`;
    const otherHub = bearer("hub-dm", { roles: ["charity_hub"], areas: ["440403"] });
    expect((await send("POST", `${path}/coordination`, {}, otherHub)).status).toBe(403);
    expect((await send("POST", `${path}/coordination`, {}, tokens.gree)).status).toBe(403);
    expect((await send("GET", path, undefined, undefined)).body.status).toBe("need_posted");
  });
});
