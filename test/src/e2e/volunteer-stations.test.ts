import { describe, expect, it } from "vitest";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";
import { restClient, startVolunteerStationsPlatform } from "../support/volunteer-stations-platform.js";

// Nancun community (南村社区), Gongbei street, Xiangzhou district, Zhuhai.
const nancun = "440402001002";
const otherCommunity = "440402001003";

describe("volunteer stations and teams through the gateway", () => {
  const platform = platformForTheseTests(startVolunteerStationsPlatform);
  const send = restClient(() => platform().gatewayUrl);
  const nancunStaff = bearer("staff-nancun", { roles: ["community_staff"], areas: [nancun] });
  const otherStaff = bearer("staff-other", { roles: ["community_staff"], areas: [otherCommunity] });
  const admin = bearer("admin-1", { roles: ["platform_admin"] });

  const blueSkyHut = {
    stationId: "nancun-blue-sky-hut",
    kind: "blue_sky_hut",
    name: "南村蓝天小屋",
    areaId: nancun,
    address: "Jida Road 12",
    managerIds: ["manager-wang"],
  };

  it("registers a station of the community, reads it back and lists it by area", async () => {
    const created = await send("POST", "/api/v1/volunteer-stations", nancunStaff, blueSkyHut);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...blueSkyHut, version: 1 });
    expect(Date.parse(created.body.registeredAt)).not.toBeNaN();

    const assigned = await send(
      "POST",
      "/api/v1/volunteer-stations/nancun-blue-sky-hut/managers",
      nancunStaff,
      { managerId: "manager-li" },
    );
    expect(assigned.body).toMatchObject({ managerIds: ["manager-wang", "manager-li"], version: 2 });
    const again = await send("POST", "/api/v1/volunteer-stations/nancun-blue-sky-hut/managers", nancunStaff, {
      managerId: "manager-li",
    });
    expect(again.body.version).toBe(2);

    await send("POST", "/api/v1/volunteer-stations", otherStaff, {
      ...blueSkyHut,
      stationId: "other-youth-station",
      kind: "youth_station",
      areaId: otherCommunity,
    });
    const listed = await send("GET", `/api/v1/volunteer-stations?areaId=${nancun}`, nancunStaff);
    expect(listed.body.stations.map((station: { stationId: string }) => station.stationId)).toEqual([
      "nancun-blue-sky-hut",
    ]);
    const street = await send("GET", "/api/v1/volunteer-stations?areaId=440402001&pageSize=1", admin);
    expect(street.body.stations).toHaveLength(1);
    expect(street.body.nextPageToken).toBe("nancun-blue-sky-hut");
  });

  it("refuses bad input with field violations and changes nothing", async () => {
    const bad = await send("POST", "/api/v1/volunteer-stations", nancunStaff, {
      ...blueSkyHut,
      stationId: "Bad Id",
      kind: "castle",
      colour: "blue",
    });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain("application/problem+json");
    // An unknown field is refused by the gateway, before the service checks the values.
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(["colour"]);
    const badKind = await send("POST", "/api/v1/volunteer-stations", nancunStaff, {
      ...blueSkyHut,
      kind: "castle",
    });
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors.map((error: { field: string }) => error.field)).toEqual(["kind"]);

    const badId = await send("POST", "/api/v1/volunteer-stations", nancunStaff, {
      ...blueSkyHut,
      stationId: "Bad Id",
      areaId: "44",
    });
    expect(badId.status).toBe(400);
    expect(badId.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "areaId",
      "stationId",
    ]);
    expect((await send("GET", "/api/v1/volunteer-stations/Bad Id", nancunStaff)).status).toBe(404);

    const duplicate = await send("POST", "/api/v1/volunteer-stations", nancunStaff, blueSkyHut);
    expect(duplicate.status).toBe(409);
    expect((await send("GET", "/api/v1/volunteer-stations/nancun-blue-sky-hut", nancunStaff)).body.name).toBe(
      "南村蓝天小屋",
    );
  });

  it("lets staff act only in their own areas", async () => {
    const foreign = await send("POST", "/api/v1/volunteer-stations", otherStaff, {
      ...blueSkyHut,
      stationId: "sneaky-station",
    });
    expect(foreign.status).toBe(403);
    const anonymous = await send("POST", "/api/v1/volunteer-stations/nancun-blue-sky-hut/managers", "", {
      managerId: "someone",
    });
    expect(anonymous.status).toBe(403);
    expect((await send("GET", `/api/v1/volunteer-stations?areaId=${nancun}`, otherStaff)).status).toBe(403);
    expect((await send("GET", "/api/v1/volunteer-stations/sneaky-station", admin)).status).toBe(404);
  });

  it("forms a property-company team at the station and adds members", async () => {
    const team = {
      teamId: "nancun-property-team",
      kind: "property_company",
      name: "南村物业志愿服务队",
      areaId: nancun,
      stationId: "nancun-blue-sky-hut",
      leaderId: "leader-zhao",
    };
    const formed = await send("POST", "/api/v1/volunteer-teams", nancunStaff, team);
    expect(formed.status).toBe(201);
    expect(formed.body).toMatchObject({ ...team, memberIds: ["leader-zhao"], version: 1 });

    const leader = bearer("leader-zhao", { roles: ["volunteer"] });
    const added = await send("POST", "/api/v1/volunteer-teams/nancun-property-team/members", leader, {
      memberId: "volunteer-chen",
    });
    expect(added.body.memberIds).toEqual(["leader-zhao", "volunteer-chen"]);
    const stranger = bearer("volunteer-chen", { roles: ["volunteer"] });
    expect(
      (
        await send("POST", "/api/v1/volunteer-teams/nancun-property-team/members", stranger, {
          memberId: "volunteer-sun",
        })
      ).status,
    ).toBe(403);

    const unknownStation = await send("POST", "/api/v1/volunteer-teams", nancunStaff, {
      ...team,
      teamId: "ghost-team",
      stationId: "no-such-station",
    });
    expect(unknownStation.status).toBe(400);
    expect(unknownStation.body.errors[0].field).toBe("stationId");
    const listed = await send("GET", `/api/v1/volunteer-teams?areaId=${nancun}`, nancunStaff);
    expect(listed.body.teams.map((found: { teamId: string }) => found.teamId)).toEqual([
      "nancun-property-team",
    ]);
  });
});
