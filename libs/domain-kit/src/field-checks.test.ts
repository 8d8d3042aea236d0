import { describe, expect, it } from "vitest";
import { FieldChecks, isIdentifier } from "./field-checks.js";

const violationsOf = (checks: FieldChecks) => checks.violations.map((v) => `${v.field} ${v.description}`);

describe("field checks", () => {
  it("checks text by trimmed characters, with the descriptions each rule asks for", () => {
    const checks = new FieldChecks()
      .text("title", " ", { max: 5 })
      .text("name", "长长长长长长", { max: 5 })
      .text("note", "", { max: 5, optional: true })
      .requiredText("summary", "", 5)
      .requiredText("body", "123456", 5)
      .text("remark", "123456", { max: 5, optional: true });
    expect(violationsOf(checks)).toEqual([
      "title must be 1 to 5 characters",
      "name must be 1 to 5 characters",
      "summary must not be empty",
      "body must be at most 5 characters",
      "remark must be at most 5 characters",
    ]);
  });

  it("throws every violation together, and nothing when there is none", () => {
    expect(() =>
      new FieldChecks().oneOf("kind", "x", ["a", "b"]).check("n", false, "must be 1").throwIfAny(),
    ).toThrow("kind must be one of a, b; n must be 1");
    expect(() => new FieldChecks().oneOf("kind", "a", ["a", "b"]).throwIfAny()).not.toThrow();
  });

  it("takes media as a few public http(s) URLs, naming each bad one by its position", () => {
    const checks = new FieldChecks()
      .mediaUrls("photoUrls", ["https://img.example.cn/a.jpg", "javascript:alert(1)", "not a url"], 9)
      .mediaUrls("more", ["https://a.cn/1", "https://a.cn/2"], 1);
    expect(violationsOf(checks)).toEqual([
      "photoUrls[1] must be a public http(s) URL of at most 500 characters",
      "photoUrls[2] must be a public http(s) URL of at most 500 characters",
      "more must hold at most 1 URLs",
    ]);
  });

  it("takes one media link the same way; an optional one may be empty", () => {
    const checks = new FieldChecks()
      .mediaUrl("ok", " https://img.example.cn/a.jpg ")
      .mediaUrl("none", "", { optional: true })
      .mediaUrl("blank", "  ", { optional: true })
      .mediaUrl("empty", "")
      .mediaUrl("ftp", "ftp://files.example.cn/a.jpg", { optional: true })
      .mediaUrl("long", `https://a.cn/${"x".repeat(500)}`);
    expect(violationsOf(checks)).toEqual([
      "empty must be a public http(s) URL of at most 500 characters",
      "ftp must be a public http(s) URL of at most 500 characters",
      "long must be a public http(s) URL of at most 500 characters",
    ]);
  });

  it("checks identifiers: 1 to 64 letters, digits, - or _; optional ones may be empty", () => {
    const checks = new FieldChecks()
      .identifier("ok", "unit_1-a")
      .identifier("empty", "")
      .identifier("spaced", "a b")
      .identifier("long", "x".repeat(65))
      .identifier("none", "", { optional: true })
      .identifier("wrong", "a/b", { optional: true });
    expect(violationsOf(checks)).toEqual([
      "empty must be 1 to 64 letters, digits, - or _",
      "spaced must be 1 to 64 letters, digits, - or _",
      "long must be 1 to 64 letters, digits, - or _",
      "wrong must be 1 to 64 letters, digits, - or _",
    ]);
    expect(isIdentifier("x".repeat(64))).toBe(true);
  });
});
