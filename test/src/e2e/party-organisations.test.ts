import { beforeAll, describe, expect, it } from "vitest";
import { gatewayClient, startPartyBuildingPlatform } from "../support/party-building-platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

/** `[{level: "branch", count: 2}]` as `{branch: 2}`. */
const countsBy = (key: string, counts: Record<string, unknown>[]) =>
  Object.fromEntries(counts.map((entry) => [entry[key], entry.count]));

describe("the party organisation tree through the gateway", () => {
  const platform = platformForTheseTests(startPartyBuildingPlatform);
  const send = gatewayClient(() => platform().gatewayUrl);
  const organiser = bearer("po-1", { roles: ["party_organiser"], areas: ["440402"] });
  const ids: Record<string, string> = {};

  const found = async (key: string, body: Record<string, unknown>) => {
    const response = await send("POST", "/api/v1/party-organisations", body, organiser);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids[key] = response.body.organisationId;
    return response.body;
  };

  beforeAll(async () => {
    await found("district", {
      level: "district_committee",
      name: "中共珠海市香洲区委员会",
      areaId: "440402",
    });
    await found("street", {
      level: "street_working_committee",
      name: "拱北街道党工委",
      parentId: ids.district,
      areaId: "440402001",
    });
    for (const [key, areaId, name] of [
      ["nancun", "440402001002", "南村社区党委"],
      ["yuehai", "440402001003", "粤海社区党委"],
    ] as const) {
      await found(key, { level: "community_committee", name, parentId: ids.street, areaId });
    }
    await found("general", {
      level: "general_branch",
      branchKind: "grid",
      name: "南村网格党总支",
      parentId: ids.nancun,
      areaId: "440402001002",
    });
    await found("building", {
      level: "branch",
      branchKind: "building",
      name: "3号楼党支部",
      parentId: ids.general,
      areaId: "440402001002003",
    });
    await found("owners", {
      level: "branch",
      branchKind: "owners_committee",
      name: "南村花园红色业委会党支部",
      parentId: ids.nancun,
      areaId: "440402001002",
    });
    await found("group", {
      level: "party_group",
      name: "3号楼第一党小组",
      parentId: ids.building,
      areaId: "440402001002003",
    });
  });

  it("reads an organisation, lists children and counts a subtree by level and branch kind", async () => {
    const building = await send("GET", `/api/v1/party-organisations/${ids.building}`);
    expect(building.body).toMatchObject({
      level: "branch",
      branchKind: "building",
      parentId: ids.general,
      areaId: "440402001002003",
      version: 1,
      history: [{ kind: "founded", to: ids.general, toAreaId: "440402001002003", by: "po-1" }],
    });
    const children = await send("GET", `/api/v1/party-organisations?parentId=${ids.street}`);
    expect(
      children.body.organisations.map((organisation: { name: string }) => organisation.name).sort(),
    ).toEqual(["南村社区党委", "粤海社区党委"].sort());
    const subtree = await send("GET", `/api/v1/party-organisations/${ids.district}/subtree`);
    expect(subtree.body.organisations).toHaveLength(8);
    expect(subtree.body.organisations[0].organisationId).toBe(ids.district);
    expect(countsBy("level", subtree.body.levelCounts)).toEqual({
      district_committee: 1,
      street_working_committee: 1,
      community_committee: 2,
      general_branch: 1,
      branch: 2,
      party_group: 1,
    });
    expect(countsBy("branchKind", subtree.body.branchKindCounts)).toEqual({
      grid: 1,
      building: 1,
      owners_committee: 1,
    });
  });

  it("renames and moves, keeping the history; the subtrees follow the move", async () => {
    const renamed = await send(
      "POST",
      `/api/v1/party-organisations/${ids.owners}/rename`,
      { name: "南村花园业委会党支部" },
      organiser,
    );
    expect(renamed.status).toBe(200);
    const moved = await send(
      "POST",
      `/api/v1/party-organisations/${ids.owners}/move`,
      { newParentId: ids.yuehai, areaId: "440402001003" },
      organiser,
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ parentId: ids.yuehai, areaId: "440402001003", version: 3 });
    expect(moved.body.history.map((change: { kind: string }) => change.kind)).toEqual([
      "founded",
      "renamed",
      "moved",
    ]);
    expect(moved.body.history[1]).toMatchObject({
      from: "南村花园红色业委会党支部",
      to: "南村花园业委会党支部",
    });
    expect(moved.body.history[2]).toMatchObject({
      from: ids.nancun,
      to: ids.yuehai,
      fromAreaId: "440402001002",
      toAreaId: "440402001003",
    });
    const nancun = await send("GET", `/api/v1/party-organisations/${ids.nancun}/subtree`);
    expect(countsBy("level", nancun.body.levelCounts)).toEqual({
      community_committee: 1,
      general_branch: 1,
      branch: 1,
      party_group: 1,
    });
    const yuehai = await send("GET", `/api/v1/party-organisations/${ids.yuehai}/subtree`);
    expect(countsBy("branchKind", yuehai.body.branchKindCounts)).toEqual({ owners_committee: 1 });
  });

  it("refuses a cycle and a parent of the wrong level, and changes nothing", async () => {
    const cycle = await send(
      "POST",
      `/api/v1/party-organisations/${ids.street}/move`,
      { newParentId: ids.group },
      organiser,
    );
    expect(cycle.status).toBe(400);
    expect(cycle.contentType).toContain("application/problem+json");
    expect(cycle.body.reason).toBe("ORGANISATION_CYCLE");
    const toItself = await send(
      "POST",
      `/api/v1/party-organisations/${ids.general}/move`,
      { newParentId: ids.general },
      organiser,
    );
    expect(toItself.body.reason).toBe("ORGANISATION_CYCLE");
    const wrongLevel = await send(
      "POST",
      `/api/v1/party-organisations/${ids.building}/move`,
      { newParentId: ids.street, areaId: "440402001" },
      organiser,
    );
    expect(wrongLevel.status).toBe(400);
    const branchUnderStreet = await send(
      "POST",
      "/api/v1/party-organisations",
      { level: "branch", branchKind: "enterprise", name: "x", parentId: ids.street, areaId: "440402001002" },
      organiser,
    );
    expect(branchUnderStreet.body.reason).toBe("WRONG_PARENT_LEVEL");
    const street = await send("GET", `/api/v1/party-organisations/${ids.street}`);
    expect(street.body).toMatchObject({ parentId: ids.district, version: 1 });
    const subtree = await send("GET", `/api/v1/party-organisations/${ids.district}/subtree`);
    expect(subtree.body.organisations).toHaveLength(8);
  });

  it("refuses bad input with the fields named, and a parent that does not exist", async () => {
    const invalid = await send(
      "POST",
      "/api/v1/party-organisations",
      { level: "branch", name: "", parentId: ids.nancun, areaId: "4404", colour: "red" },
      organiser,
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toContainEqual({ field: "colour", detail: "is not a known field" });
    const noKind = await send(
      "POST",
      "/api/v1/party-organisations",
      { level: "branch", name: "", parentId: ids.nancun, areaId: "4404" },
      organiser,
    );
    expect(noKind.status).toBe(400);
    expect(noKind.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "areaId",
      "branchKind",
      "name",
    ]);
    const missingParent = await send(
      "POST",
      "/api/v1/party-organisations",
      { level: "community_committee", name: "x", parentId: "no-such-organisation", areaId: "440402001009" },
      organiser,
    );
    expect(missingParent.status).toBe(404);
    const outsideParent = await send(
      "POST",
      "/api/v1/party-organisations",
      { level: "community_committee", name: "x", parentId: ids.street, areaId: "440402002001" },
      organiser,
    );
    expect(outsideParent.body.reason).toBe("AREA_OUTSIDE_PARENT");
  });

  it("lets only party organisers of the area change the tree", async () => {
    const elsewhere = bearer("po-9", { roles: ["party_organiser"], areas: ["440403"] });
    const resident = bearer("r-1", { roles: ["resident"], areas: ["440402"] });
    for (const authorization of [elsewhere, resident, undefined]) {
      const response = await send(
        "POST",
        `/api/v1/party-organisations/${ids.nancun}/rename`,
        { name: "改名" },
        authorization,
      );
      expect(response.status).toBe(403);
    }
    expect((await send("GET", `/api/v1/party-organisations/${ids.nancun}`)).body.name).toBe("南村社区党委");
  });

  it("lets one of 30 concurrent renames at the same version win; the others get 409", async () => {
    const { version } = (await send("GET", `/api/v1/party-organisations/${ids.yuehai}`)).body;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        send(
          "POST",
          `/api/v1/party-organisations/${ids.yuehai}/rename`,
          { name: `粤海社区党委 ${index}`, expectedVersion: version },
          organiser,
        ),
      ),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(29);
    const after = (await send("GET", `/api/v1/party-organisations/${ids.yuehai}`)).body;
    expect(after.version).toBe(version + 1);
    expect(after.history.filter((change: { kind: string }) => change.kind === "renamed")).toHaveLength(1);
  });
});
