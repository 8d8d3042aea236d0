import { InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { CaseCategoryCatalogue, defaultCaseCategories } from "./case-categories.js";

const catalogue = new CaseCategoryCatalogue(defaultCaseCategories);

describe("pages of the case-category catalogue", () => {
  it("walks the whole catalogue in code order, each category once", () => {
    const seen: string[] = [];
    let token = "";
    do {
      const page = catalogue.page(10, token);
      expect(page.categories.length).toBeLessThanOrEqual(10);
      seen.push(...page.categories.map((category) => category.code));
      token = page.nextPageToken;
    } while (token !== "");
    expect(seen).toHaveLength(defaultCaseCategories.length);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("gives the default 50 in one page with no token after it", () => {
    const page = catalogue.page(0, "");
    expect(page.categories).toHaveLength(defaultCaseCategories.length);
    expect(page.nextPageToken).toBe("");
  });

  it("refuses a page size out of range and a token that is no code", () => {
    expect(() => catalogue.page(201, "")).toThrow(InvalidArgumentError);
    expect(() => catalogue.page(-1, "")).toThrow(InvalidArgumentError);
    expect(() => catalogue.page(10, "{$gt: ''}")).toThrow(InvalidArgumentError);
  });
});
