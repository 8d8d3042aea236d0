import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAdmissibilityRules } from "../domain/admissibility.js";
import { loadAdmissibilityList } from "./admissibility-file.js";

describe("the admissibility list from TOPIC_ADMISSIBILITY_FILE", () => {
  let dir: string;
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "admissibility-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("is the default list without a file", async () => {
    expect((await loadAdmissibilityList(undefined)).rules).toEqual(defaultAdmissibilityRules);
  });

  it("is the file's list, replacing the default", async () => {
    const path = await file(
      "city.json",
      JSON.stringify([
        { code: "elderly-care", admissible: true, description: "养老服务" },
        { code: "private-matters", admissible: false, description: "个人私事" },
      ]),
    );
    const list = await loadAdmissibilityList(path);
    expect(list.codes).toEqual(["elderly-care", "private-matters"]);
    expect(list.rule("elderly-care")?.admissible).toBe(true);
    expect(list.rule("public-affairs")).toBeUndefined();
  });

  it("refuses a missing file, naming the setting and the file", async () => {
    const path = join(dir, "missing.json");
    await expect(loadAdmissibilityList(path)).rejects.toThrow(
      `TOPIC_ADMISSIBILITY_FILE ${path}: cannot be read (ENOENT)`,
    );
  });

  it("refuses a file that is not JSON", async () => {
    const path = await file("broken.json", "[{code: 1");
    await expect(loadAdmissibilityList(path)).rejects.toThrow(/TOPIC_ADMISSIBILITY_FILE .*: is not JSON/);
  });

  it("refuses a list with bad entries, naming each problem", async () => {
    const path = await file(
      "bad.json",
      JSON.stringify([
        { code: "Bad Code", admissible: true, description: "x" },
        { code: "ok-code", admissible: "yes", description: "y" },
      ]),
    );
    const error = await loadAdmissibilityList(path).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^TOPIC_ADMISSIBILITY_FILE .*bad\.json: /);
    expect((error as Error).message).toContain("0.code");
    expect((error as Error).message).toContain("1.admissible");
  });

  it("refuses an empty list and repeated codes", async () => {
    await expect(loadAdmissibilityList(await file("empty.json", "[]"))).rejects.toThrow(
      /TOPIC_ADMISSIBILITY_FILE/,
    );
    const twice = JSON.stringify([
      { code: "same", admissible: true, description: "a" },
      { code: "same", admissible: false, description: "b" },
    ]);
    await expect(loadAdmissibilityList(await file("twice.json", twice))).rejects.toThrow(
      "codes must be distinct",
    );
  });
});
