import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type DeliberationTestPlatform,
  startDeliberationTestPlatform,
} from "../support/deliberation-platform.js";
import { httpClient } from "../support/http-client.js";
import { bearer } from "../support/tokens.js";

const compound = "440402001002003";
const cityList = [
  { code: "elderly-care", admissible: true, description: "养老助餐等为老服务" },
  { code: "property-disputes", admissible: false, description: "业主与物业的合同纠纷（走司法途径）" },
];

describe("a city's own admissibility list (TOPIC_ADMISSIBILITY_FILE)", () => {
  let dir: string;
  let platform: DeliberationTestPlatform;
  let api: ReturnType<typeof httpClient>;
  let resident: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "admissibility-e2e-"));
    const file = join(dir, "city.json");
    await writeFile(file, JSON.stringify(cityList));
    platform = await startDeliberationTestPlatform(inject("mongoUri"), inject("natsUrl"), {
      admissibilityFile: file,
    });
    api = httpClient(platform.gatewayUrl);
    resident = bearer("resident-8", { roles: ["resident"] });
  });
  afterAll(async () => {
    await platform?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const propose = (categoryCode: string) =>
    api.post(
      "/api/v1/topics",
      { areaId: compound, title: "议题", description: "说明", categoryCode, proposerKind: "resident" },
      resident,
    );

  it("shows the file's list in force and decides topics by it", async () => {
    expect((await api.get("/api/v1/topic-admissibility-rules")).body.rules).toEqual(cityList);
    const admitted = await propose("elderly-care");
    expect(admitted.status, JSON.stringify(admitted.body)).toBe(201);
    expect(admitted.body).toMatchObject({ admissible: true, status: "in_progress" });
    expect(admitted.body.admissibilityReason).toContain("养老助餐");
    const refused = await propose("property-disputes");
    expect(refused.body).toMatchObject({ admissible: false, status: "refused" });
    expect(refused.body.admissibilityReason).toContain("合同纠纷");
  });

  it("no longer knows the default list's categories", async () => {
    const unknown = await propose("environment-facilities");
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe("categoryCode");
  });

  it("does not start with a bad file, and says why", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify([{ code: "x", admissible: "yes" }]));
    await expect(
      startDeliberationTestPlatform(inject("mongoUri"), inject("natsUrl"), { admissibilityFile: bad }),
    ).rejects.toThrow(new RegExp(`^TOPIC_ADMISSIBILITY_FILE ${bad}: .*admissible`));
    await expect(
      startDeliberationTestPlatform(inject("mongoUri"), inject("natsUrl"), {
        admissibilityFile: join(dir, "missing.json"),
      }),
    ).rejects.toThrow("cannot be read (ENOENT)");
  });
});
