import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PersonalDataProtector } from "./personal-data.js";

describe("personal data", () => {
  const protector = new PersonalDataProtector(randomBytes(32).toString("base64"));

  it("seals a value so that only the key opens it, differently each time", () => {
    const sealed = protector.seal("13812345678");
    expect(sealed).not.toContain("13812345678");
    expect(sealed).not.toBe(protector.seal("13812345678"));
    expect(protector.open(sealed)).toBe("13812345678");
    const other = new PersonalDataProtector(randomBytes(32).toString("base64"));
    expect(() => other.open(sealed)).toThrow();
  });

  it("detects tampering", () => {
    const [version, iv, tag] = protector.seal("13812345678").split(":");
    const tampered = [version, iv, tag, Buffer.from("x".repeat(11)).toString("base64")].join(":");
    expect(() => protector.open(tampered)).toThrow();
  });

  it("refuses a key of the wrong size", () => {
    expect(() => new PersonalDataProtector("c2hvcnQ=")).toThrow("32 bytes");
  });
});
