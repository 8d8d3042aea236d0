import { describe, expect, it } from "vitest";
import type { OpenCase } from "./case.js";
import { mayReadPossibleDuplicates, possibleDuplicates, textSimilarity } from "./duplicate-hint.js";

const now = new Date("2026-03-10T02:00:00Z");
const base = {
  status: "submitted",
  categoryCode: "noise-nuisance",
  areaId: "440402001002003",
  submittedAt: "2026-03-09T12:00:00.000Z",
} as OpenCase;
const caseOf = (
  caseId: string,
  title: string,
  description: string,
  extra: Partial<OpenCase> = {},
): OpenCase => ({ ...base, caseId, title, description, ...extra }) as OpenCase;

describe("possible-duplicate hints", () => {
  it("measures similarity on character pairs, so Chinese text without spaces compares well", () => {
    expect(textSimilarity("工地夜间施工噪音扰民", "工地夜间施工噪音很大")).toBeGreaterThan(0.5);
    expect(textSimilarity("工地夜间施工噪音扰民", "井盖缺失")).toBe(0);
  });

  it("hints only same-category, same-grid, open, recent and similar cases, most similar first", () => {
    const subject = caseOf("new", "工地夜间施工噪音扰民", "3栋旁工地每晚打桩");
    const candidates = [
      caseOf("same", "工地夜间施工噪音扰民", "3栋旁工地每晚打桩到深夜"),
      caseOf("close", "夜间施工噪音扰民", "工地每晚打桩"),
      caseOf("other-text", "广场舞音响太大", "每晚八点"),
      caseOf("other-grid", "工地夜间施工噪音扰民", "3栋旁工地每晚打桩", { areaId: "440402001002004" }),
      caseOf("closed", "工地夜间施工噪音扰民", "3栋旁工地每晚打桩", { status: "closed" }),
      caseOf("old", "工地夜间施工噪音扰民", "3栋旁工地每晚打桩", { submittedAt: "2026-02-20T00:00:00.000Z" }),
      caseOf("other-category", "工地夜间施工噪音扰民", "3栋旁工地每晚打桩", {
        categoryCode: "illegal-construction",
      }),
      subject,
    ];
    const hints = possibleDuplicates(subject, candidates, now);
    expect(hints.map((hint) => hint.caseId)).toEqual(["same", "close"]);
    expect(hints[0]?.similarity).toBeGreaterThan(hints[1]?.similarity ?? 1);
  });

  it("are shown to the command centre and the staff of the case's area, not to another community's", () => {
    const subject = caseOf("new", "工地夜间施工噪音扰民", "3栋旁工地每晚打桩");
    const caller = (roles: string[], areas: string[]) => ({ subject: "s", roles, areas });
    expect(mayReadPossibleDuplicates(subject, caller(["command_centre"], []))).toBe(true);
    expect(mayReadPossibleDuplicates(subject, caller(["community_staff"], ["440402001002"]))).toBe(true);
    expect(mayReadPossibleDuplicates(subject, caller(["community_staff"], ["440402001003"]))).toBe(false);
    expect(mayReadPossibleDuplicates(subject, caller(["resident"], ["440402001002"]))).toBe(false);
  });
});
