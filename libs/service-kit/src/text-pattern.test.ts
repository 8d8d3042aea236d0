import { describe, expect, it } from "vitest";
import { escapeRegExp } from "./text-pattern.js";

describe("literal patterns", () => {
  it("escapes what a regular expression would read as syntax", () => {
    expect(new RegExp(`^${escapeRegExp("a.b*(c)")}$`).test("a.b*(c)")).toBe(true);
    expect(new RegExp(`^${escapeRegExp("a.b")}$`).test("axb")).toBe(false);
  });
});
