import { describe, expect, it } from "vitest";
import { startDeliberationTestPlatform } from "../support/deliberation-platform.js";
import { httpClient } from "../support/http-client.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

// Nancun community (Gongbei street, Xiangzhou) and one of its compounds.
const nancun = "440402001002";
const compound = "440402001002003";

describe("councils through the gateway", () => {
  const platform = platformForTheseTests(startDeliberationTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const staff = bearer("cs-nancun", { roles: ["community_staff"], areas: [nancun] });
  const otherStaff = bearer("cs-other", { roles: ["community_staff"], areas: ["440402001009"] });
  const resident = bearer("resident-1", { roles: ["resident"] });

  const committee = {
    kind: "community_building_coordination_committee",
    areaId: nancun,
    name: "南村社区建设协调委员会",
    seatCount: 15,
    termStart: "2026-01-01",
    termEnd: "2028-12-31",
  };

  it("constitutes each of the four kinds, scoped to a community or compound, with a term", async () => {
    const kinds = [
      ["resident_deliberation_council", nancun, 25],
      ["community_building_coordination_committee", nancun, 18],
      ["compound_co_building_council", compound, 9],
      ["owners_assembly", compound, 320],
    ] as const;
    for (const [kind, areaId, seatCount] of kinds) {
      const created = await api.post("/api/v1/councils", { ...committee, kind, areaId, seatCount }, staff);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        kind,
        areaId,
        seatCount,
        termEnd: "2028-12-31",
        members: [],
        version: 1,
      });
      const read = await api.get(`/api/v1/councils/${created.body.councilId}`);
      expect(read.body).toEqual(created.body);
    }
    const listed = await api.get(`/api/v1/councils?areaId=${compound}`);
    expect(listed.body.councils.map((council: { kind: string }) => council.kind).sort()).toEqual([
      "compound_co_building_council",
      "owners_assembly",
    ]);
  });

  it("seats members on numbered seats, and refuses a sixteenth member of a 15-seat committee", async () => {
    const created = await api.post("/api/v1/councils", committee, staff);
    const path = `/api/v1/councils/${created.body.councilId}/members`;
    for (let index = 1; index <= 15; index++) {
      const added = await api.post(
        path,
        { memberId: `m-${index}`, name: `委员${index}`, role: index === 1 ? "chair" : "member" },
        staff,
      );
      expect(added.status, JSON.stringify(added.body)).toBe(200);
    }
    const full = await api.post(path, { memberId: "m-16", name: "委员16", role: "member" }, staff);
    expect(full.status).toBe(400);
    expect(full.body.reason).toBe("NO_FREE_SEAT");
    const council = (await api.get(`/api/v1/councils/${created.body.councilId}`)).body;
    expect(council.members).toHaveLength(15);
    expect(council.members.map((member: { seatNumber: number }) => member.seatNumber)).toEqual(
      Array.from({ length: 15 }, (_, index) => index + 1),
    );
    const removed = await api.delete(`${path}/m-7`, staff);
    expect(removed.body.members).toHaveLength(14);
    const again = await api.post(path, { memberId: "m-16", name: "委员16", role: "member" }, staff);
    expect(
      again.body.members.find((member: { memberId: string }) => member.memberId === "m-16").seatNumber,
    ).toBe(7);
  });

  it("records owners with their unit and floor area in an owners' assembly", async () => {
    const created = await api.post(
      "/api/v1/councils",
      { ...committee, kind: "owners_assembly", areaId: compound, seatCount: 2 },
      staff,
    );
    const path = `/api/v1/councils/${created.body.councilId}/members`;
    const owner = {
      memberId: "owner-101",
      name: "业主甲",
      role: "owner",
      unitId: "1-101",
      building: "1",
      floorAreaCentiM2: 8950,
    };
    expect((await api.post(path, owner, staff)).status).toBe(200);
    const sameUnit = await api.post(path, { ...owner, memberId: "owner-101b" }, staff);
    expect(sameUnit.status).toBe(409);
    const noArea = await api.post(
      path,
      { ...owner, memberId: "owner-102", unitId: "1-102", floorAreaCentiM2: 0 },
      staff,
    );
    expect(noArea.status).toBe(400);
    expect(noArea.body.errors).toContainEqual({
      field: "floorAreaCentiM2",
      detail: "an owned unit has a floor area",
    });
  });

  it("refuses bad input with field problems and changes nothing", async () => {
    const bad = await api.post(
      "/api/v1/councils",
      { ...committee, seatCount: 21, termEnd: "2025-12-31", areaId: "nancun" },
      staff,
    );
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain("application/problem+json");
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "areaId",
      "seatCount",
      "termEnd",
    ]);
    const unknownField = await api.post("/api/v1/councils", { ...committee, budget: 5 }, staff);
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors).toContainEqual({ field: "budget", detail: "is not a known field" });
    const listed = await api.get("/api/v1/councils?areaId=440402001002&pageSize=200");
    expect(listed.body.councils.every((council: { seatCount: number }) => council.seatCount !== 21)).toBe(
      true,
    );
  });

  it("constitutes councils only in a community or compound that grid-cases defined", async () => {
    const countBefore = (await api.get("/api/v1/councils?areaId=4404&pageSize=200")).body.councils.length;
    const street = bearer("ss-gongbei", { roles: ["street_staff"], areas: ["440402001"] });
    const unknown = await api.post("/api/v1/councils", { ...committee, areaId: "440402001077" }, street);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { field: "areaId", detail: "440402001077 is not a known community or compound of grid-cases" },
    ]);
    const unknownCompound = await api.post(
      "/api/v1/councils",
      { ...committee, kind: "owners_assembly", seatCount: 10, areaId: "440402001002099" },
      staff,
    );
    expect(unknownCompound.status).toBe(400);
    expect(unknownCompound.body.errors[0].field).toBe("areaId");
    const aStreet = await api.post("/api/v1/councils", { ...committee, areaId: "440402001" }, street);
    expect(aStreet.status).toBe(400);
    expect(aStreet.body.errors[0].detail).toContain("is a street");
    expect((await api.get("/api/v1/councils?areaId=4404&pageSize=200")).body.councils).toHaveLength(
      countBefore,
    );
    const otherCommunity = await api.post(
      "/api/v1/councils",
      { ...committee, areaId: "440402001009" },
      street,
    );
    expect(otherCommunity.status).toBe(201);
  });

  it("lets only the area's staff constitute councils and seat members", async () => {
    expect((await api.post("/api/v1/councils", committee, resident)).status).toBe(403);
    expect((await api.post("/api/v1/councils", committee, otherStaff)).status).toBe(403);
    expect((await api.post("/api/v1/councils", committee)).status).toBe(403);
    const created = await api.post("/api/v1/councils", committee, staff);
    const seat = await api.post(
      `/api/v1/councils/${created.body.councilId}/members`,
      { memberId: "x", name: "X", role: "member" },
      otherStaff,
    );
    expect(seat.status).toBe(403);
    expect(seat.body.reason).toBe("OUTSIDE_YOUR_AREA");
  });

  it("answers 404 for an unknown council", async () => {
    const missing = await api.get("/api/v1/councils/no-such-council");
    expect(missing.status).toBe(404);
  });
});
