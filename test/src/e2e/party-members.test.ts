import { beforeAll, describe, expect, it } from "vitest";
import {
  foundNancunCommittee,
  gatewayClient,
  startPartyBuildingPlatform,
} from "../support/party-building-platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

describe("party members through the gateway", () => {
  const platform = platformForTheseTests(startPartyBuildingPlatform);
  const send = gatewayClient(() => platform().gatewayUrl);
  const organiser = bearer("po-1", { roles: ["party_organiser"], areas: ["440402"] });
  const ids: Record<string, string> = {};
  const branches: string[] = [];
  const branch = (index: number) => branches[index] ?? "";

  const found = async (body: Record<string, unknown>) => {
    const response = await send("POST", "/api/v1/party-organisations", body, organiser);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.organisationId as string;
  };
  const admit = (body: Record<string, unknown>, authorization = organiser) =>
    send("POST", "/api/v1/party-members", body, authorization);
  const transfer = (memberId: string, body: Record<string, unknown>) =>
    send("POST", `/api/v1/party-members/${memberId}/transfer`, body, organiser);
  const recordService = (memberId: string, body: Record<string, unknown>, authorization: string) =>
    send("POST", `/api/v1/party-members/${memberId}/community-services`, body, authorization);
  const membersOf = async (organisationId: string) =>
    (await send("GET", `/api/v1/party-members?organisationId=${organisationId}`, undefined, organiser)).body
      .members as { memberId: string }[];

  beforeAll(async () => {
    Object.assign(ids, await foundNancunCommittee(found));
    for (let index = 1; index <= 5; index++) {
      branches.push(
        await found({
          level: "branch",
          branchKind: index === 5 ? "enterprise" : "grid",
          name: `第${index}党支部`,
          parentId: ids.community,
          areaId: `44040200100200${index}`,
        }),
      );
    }
  });

  it("admits formal and probationary members, confirms one, and counts them in the subtree", async () => {
    const formal = await admit({
      memberId: "m-001",
      name: "陈党员",
      standing: "formal",
      organisationId: branch(0),
    });
    expect(formal.status, JSON.stringify(formal.body)).toBe(201);
    expect(formal.body).toMatchObject({ organisationId: branch(0), areaId: "440402001002001", version: 1 });
    const probationary = await admit({
      memberId: "m-002",
      name: "林预备",
      standing: "probationary",
      organisationId: branch(0),
    });
    expect(probationary.body.standing).toBe("probationary");
    let subtree = (await send("GET", `/api/v1/party-organisations/${ids.community}/subtree`)).body;
    expect(subtree).toMatchObject({ formalMembers: 1, probationaryMembers: 1 });
    const confirmed = await send("POST", "/api/v1/party-members/m-002/confirm", {}, organiser);
    expect(confirmed.body).toMatchObject({ standing: "formal", version: 2 });
    const again = await send("POST", "/api/v1/party-members/m-002/confirm", {}, organiser);
    expect(again).toMatchObject({ status: 400, body: { reason: "ALREADY_FORMAL" } });
    subtree = (await send("GET", `/api/v1/party-organisations/${ids.community}/subtree`)).body;
    expect(subtree).toMatchObject({ formalMembers: 2, probationaryMembers: 0 });
    expect((await membersOf(branch(0))).map((member) => member.memberId)).toEqual(["m-001", "m-002"]);
  });

  it("admits a member once when 30 admissions into different branches race", async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        admit({
          memberId: "m-race",
          name: "赵并发",
          standing: "formal",
          organisationId: branch(index % branches.length),
        }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(refused).toHaveLength(29);
    expect(refused[0]?.body.reason).toBe("MEMBER_ALREADY_ADMITTED");
    const placements = await Promise.all(branches.map(membersOf));
    expect(placements.flat().filter((member) => member.memberId === "m-race")).toHaveLength(1);
  });

  it("transfers a member; of 30 concurrent transfers from one version one wins, and the member is in one branch", async () => {
    await admit({ memberId: "m-move", name: "黄转接", standing: "formal", organisationId: branch(0) });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        transfer("m-move", { toOrganisationId: branch(1 + (index % 4)), expectedVersion: 1 }),
      ),
    );
    const won = answers.filter((answer) => answer.status === 200);
    expect(won).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(29);
    const member = (await send("GET", "/api/v1/party-members/m-move", undefined, organiser)).body;
    expect(member).toMatchObject({ version: 2, organisationId: won[0]?.body.organisationId });
    expect(member.transfers).toEqual([
      expect.objectContaining({ fromOrganisationId: branch(0), toOrganisationId: member.organisationId }),
    ]);
    const placements = await Promise.all(branches.map(membersOf));
    expect(placements.flat().filter((entry) => entry.memberId === "m-move")).toHaveLength(1);
  });

  it("refuses a transfer to a missing organisation, to a committee and to the same branch, changing nothing", async () => {
    await admit({ memberId: "m-stay", name: "吴不动", standing: "formal", organisationId: branch(2) });
    const missing = await transfer("m-stay", { toOrganisationId: "no-such-branch" });
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain("application/problem+json");
    const committee = await transfer("m-stay", { toOrganisationId: ids.community });
    expect(committee.body.reason).toBe("NOT_A_BRANCH");
    const same = await transfer("m-stay", { toOrganisationId: branch(2) });
    expect(same.body.reason).toBe("ALREADY_IN_ORGANISATION");
    const member = (await send("GET", "/api/v1/party-members/m-stay", undefined, organiser)).body;
    expect(member).toMatchObject({ organisationId: branch(2), version: 1, transfers: [] });
  });

  it("registers an in-service member with their home community and records services with configured points", async () => {
    await admit({
      memberId: "m-work",
      name: "周在职",
      standing: "formal",
      organisationId: branch(4),
      inService: true,
    });
    const self = bearer("m-work", { roles: ["party_member"] });
    const registered = await send(
      "POST",
      "/api/v1/party-members/m-work/community-registration",
      { communityAreaId: "440402001003" },
      self,
    );
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    expect(registered.body.communityRegistration.communityAreaId).toBe("440402001003");
    const staff = bearer("cs-3", { roles: ["community_staff"], areas: ["440402001003"] });
    const mediation = await recordService(
      "m-work",
      { kind: "dispute_mediation", note: "调解楼上漏水纠纷" },
      staff,
    );
    expect(mediation.status).toBe(200);
    expect(mediation.body.points).toBe(5);
    const volunteering = await recordService("m-work", { kind: "volunteering" }, staff);
    expect(volunteering.body.member).toMatchObject({ communityServices: 2, communityPoints: 7 });
    const unknownKind = await recordService("m-work", { kind: "haircut" }, staff);
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.body.errors[0].field).toBe("kind");
    const otherCommunity = bearer("cs-9", { roles: ["community_staff"], areas: ["440402001009"] });
    const outside = await recordService("m-work", { kind: "volunteering" }, otherCommunity);
    expect(outside.status).toBe(403);
    expect((await send("GET", "/api/v1/party-members/m-work", undefined, self)).body.communityPoints).toBe(7);
    const kinds = (await send("GET", "/api/v1/party-member-service-kinds")).body.kinds;
    expect(kinds).toEqual([
      { kind: "volunteering", points: 2 },
      { kind: "dispute_mediation", points: 5 },
    ]);
  });

  it("refuses registration of a member who is not in service, and service before registration", async () => {
    const notInService = await send(
      "POST",
      "/api/v1/party-members/m-001/community-registration",
      { communityAreaId: "440402001003" },
      organiser,
    );
    expect(notInService.body.reason).toBe("NOT_IN_SERVICE");
    await admit({
      memberId: "m-late",
      name: "郑未报到",
      standing: "formal",
      organisationId: branch(4),
      inService: true,
    });
    const early = await recordService("m-late", { kind: "volunteering" }, organiser);
    expect(early.body.reason).toBe("NOT_REGISTERED_WITH_COMMUNITY");
  });

  it("lets only the organisers of the branch's area admit and read members", async () => {
    const elsewhere = bearer("po-9", { roles: ["party_organiser"], areas: ["440403"] });
    const refused = await admit(
      { memberId: "m-x", name: "x", standing: "formal", organisationId: branch(0) },
      elsewhere,
    );
    expect(refused.status).toBe(403);
    expect((await send("GET", "/api/v1/party-members/m-001", undefined, elsewhere)).status).toBe(403);
    expect((await send("GET", "/api/v1/party-members/m-x", undefined, organiser)).status).toBe(404);
    const invalid = await admit({
      memberId: "m x",
      name: "",
      standing: "formal",
      organisationId: branch(0),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "memberId",
      "name",
    ]);
  });
});
