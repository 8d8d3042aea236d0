import { AlreadyExistsError, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { type CaseCategory, defaultCaseCategories } from "./case-categories.js";
import { decidePublishCatalogueVersion } from "./category-catalogue-version.js";

const at = new Date("2026-03-02T01:00:00Z");
const [first, second] = defaultCaseCategories as [CaseCategory, CaseCategory, ...CaseCategory[]];

describe("catalogue versions", () => {
  it("publishes the categories trimmed, as a new version", () => {
    const categories = [{ ...first, name: ` ${first.name} ` }];
    const event = decidePublishCatalogueVersion(
      { status: "none" },
      { version: 2, categories, by: "cc-1", at },
    );
    expect(event.data).toMatchObject({ version: 2, publishedBy: "cc-1" });
    expect(event.data.categories[0]?.name).toBe(first.name);
    expect(() =>
      decidePublishCatalogueVersion(
        { ...event.data, status: "published" },
        { version: 2, categories, by: "cc-2", at },
      ),
    ).toThrow(AlreadyExistsError);
  });

  it("refuses an empty catalogue and bad categories, naming each field", () => {
    expect(() =>
      decidePublishCatalogueVersion({ status: "none" }, { version: 2, categories: [], by: "cc-1", at }),
    ).toThrow(InvalidArgumentError);
    try {
      decidePublishCatalogueVersion(
        { status: "none" },
        {
          version: 2,
          categories: [first, { ...second, code: first.code, urgency: "" as never, defaultDepartmentId: "" }],
          by: "cc-1",
          at,
        },
      );
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidArgumentError).violations.map((violation) => violation.field)).toEqual([
        "categories[1].code",
        "categories[1].urgency",
        "categories[1].defaultDepartmentId",
      ]);
    }
  });
});
