import { describe, expect, it } from "vitest";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";
import { restClient, startVolunteerStationsPlatform } from "../support/volunteer-stations-platform.js";

const nancun = "440402001002";
const beishan = "440402001003";

describe("micro-wishes through the gateway", () => {
  // The platform caps a wish at 20,000 fen (200 yuan).
  const platform = platformForTheseTests(startVolunteerStationsPlatform);
  const send = restClient(() => platform().gatewayUrl);
  const staff = bearer("staff-xiangzhou", { roles: ["community_staff"], areas: ["440402001"] });
  const resident = bearer("resident-liu", { roles: ["resident"] });

  const post = async (title: string, valueFen: number, areaId = nancun, token = resident) =>
    send("POST", "/api/v1/micro-wishes", token, {
      areaId,
      residentId: "resident-liu",
      title,
      description: "",
      valueFen,
    });

  it("posts, claims, fulfils with proof and confirms a wish", async () => {
    const posted = await post("一台收音机 a radio for grandma Liu", 8_000);
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ status: "posted", valueFen: 8_000, residentId: "resident-liu" });
    const wishId = posted.body.wishId as string;
    const volunteer = bearer("vol-he", { roles: ["volunteer"] });
    const claimed = await send("POST", `/api/v1/micro-wishes/${wishId}/claim`, volunteer, {
      claimerKind: "volunteer",
    });
    expect(claimed.body).toMatchObject({ status: "claimed", claimerId: "vol-he", claimerKind: "volunteer" });
    // Claiming again as the holder changes nothing.
    expect(
      (await send("POST", `/api/v1/micro-wishes/${wishId}/claim`, volunteer, { claimerKind: "volunteer" }))
        .body.version,
    ).toBe(claimed.body.version);
    const early = await send("POST", `/api/v1/micro-wishes/${wishId}/confirmation`, resident, {});
    expect(early.status).toBe(400);
    expect(early.body.reason).toBe("WISH_NOT_FULFILLED");
    const notHolder = await send(
      "POST",
      `/api/v1/micro-wishes/${wishId}/fulfilment`,
      bearer("someone", { roles: ["volunteer"] }),
      { proof: "photo" },
    );
    expect(notHolder.status).toBe(403);
    const fulfilled = await send("POST", `/api/v1/micro-wishes/${wishId}/fulfilment`, volunteer, {
      proof: "delivered 2026-11-24, photo oss://wishes/radio.jpg",
    });
    expect(fulfilled.body).toMatchObject({
      status: "fulfilled",
      proof: "delivered 2026-11-24, photo oss://wishes/radio.jpg",
    });
    expect((await send("POST", `/api/v1/micro-wishes/${wishId}/confirmation`, volunteer, {})).status).toBe(
      403,
    );
    const confirmed = await send("POST", `/api/v1/micro-wishes/${wishId}/confirmation`, resident, {});
    expect(confirmed.body.status).toBe("confirmed");
    expect((await send("GET", `/api/v1/micro-wishes/${wishId}`, "")).body.status).toBe("confirmed");
  });

  it("refuses wishes above the cap or badly formed, and claims by the wrong role", async () => {
    const tooDear = await post("a refrigerator", 20_001);
    expect(tooDear.status).toBe(400);
    expect(tooDear.body.errors[0].field).toBe("valueFen");
    const fractional = await send("POST", "/api/v1/micro-wishes", resident, {
      areaId: "44x",
      residentId: "resident-liu",
      title: "",
      valueFen: 10.5,
    });
    expect(fractional.status).toBe(400);
    const forSomeoneElse = await send("POST", "/api/v1/micro-wishes", bearer("stranger", { roles: [] }), {
      areaId: nancun,
      residentId: "resident-liu",
      title: "books",
      valueFen: 100,
    });
    expect(forSomeoneElse.status).toBe(403);
    const posted = await post("school bag", 5_000);
    const noRole = await send(
      "POST",
      `/api/v1/micro-wishes/${posted.body.wishId}/claim`,
      bearer("firm-gree", { roles: ["volunteer"] }),
      { claimerKind: "enterprise" },
    );
    expect(noRole.status).toBe(403);
    const badKind = await send(
      "POST",
      `/api/v1/micro-wishes/${posted.body.wishId}/claim`,
      bearer("x", { roles: ["volunteer"] }),
      {
        claimerKind: "alien",
      },
    );
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors[0].field).toBe("claimerKind");
    expect((await send("GET", `/api/v1/micro-wishes/${posted.body.wishId}`, "")).body.status).toBe("posted");
  });

  it("12 concurrent claims of one wish: exactly one holds it, the others are told it is held", async () => {
    const posted = await post("winter quilt", 15_000);
    const wishId = posted.body.wishId as string;
    const claimers = await Promise.all(
      Array.from({ length: 12 }, async (_, index) => {
        const kind = ["volunteer", "party_member", "enterprise"][index % 3] as string;
        return { kind, token: bearer(`claimer-${index}`, { roles: [kind] }) };
      }),
    );
    const answers = await Promise.all(
      claimers.map(({ kind, token }) =>
        send("POST", `/api/v1/micro-wishes/${wishId}/claim`, token, { claimerKind: kind }),
      ),
    );
    const won = answers.filter((answer) => answer.status === 200);
    expect(won).toHaveLength(1);
    const lost = answers.filter((answer) => answer.status !== 200);
    expect(lost.map((answer) => [answer.status, answer.body.reason])).toEqual(
      lost.map(() => [400, "WISH_CLAIMED"]),
    );
    const wish = (await send("GET", `/api/v1/micro-wishes/${wishId}`, "")).body;
    expect(wish).toMatchObject({ status: "claimed", claimerId: won[0]?.body.claimerId, version: 2 });
    // Claiming a wish someone else holds: a clear error, nothing changed.
    const late = await send(
      "POST",
      `/api/v1/micro-wishes/${wishId}/claim`,
      bearer("late", { roles: ["volunteer"] }),
      {
        claimerKind: "volunteer",
      },
    );
    expect(late.status).toBe(400);
    expect(late.body.reason).toBe("WISH_CLAIMED");
    expect((await send("GET", `/api/v1/micro-wishes/${wishId}`, "")).body.version).toBe(2);
  });

  it("counts posted, claimed, fulfilled and confirmed wishes per community", async () => {
    await post("reading glasses", 3_000, beishan, staff);
    const statistics = await send("GET", "/api/v1/micro-wish-statistics?areaId=440402001", staff);
    expect(statistics.status).toBe(200);
    expect(statistics.body.communities).toEqual([
      { areaId: nancun, posted: 3, claimed: 2, fulfilled: 1, confirmed: 1, confirmedValueFen: 8_000 },
      { areaId: beishan, posted: 1, claimed: 0, fulfilled: 0, confirmed: 0, confirmedValueFen: 0 },
    ]);
    expect((await send("GET", "/api/v1/micro-wish-statistics?areaId=440402001", resident)).status).toBe(403);
    const listed = await send("GET", `/api/v1/micro-wishes?areaId=${beishan}`, "");
    expect(listed.body.wishes.map((wish: { title: string }) => wish.title)).toEqual(["reading glasses"]);
  });
});
