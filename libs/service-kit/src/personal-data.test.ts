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

  it("after a rotation, seals with the new key and still opens what the old one sealed", () => {
    const oldKey = randomBytes(32).toString("base64");
    const newKey = randomBytes(32).toString("base64");
    const sealedBefore = new PersonalDataProtector(oldKey).seal("13812345678");
    // Step 1 of the rotation: the new key only opens; step 2: it seals, the old one opens.
    const stepOne = new PersonalDataProtector(oldKey, [newKey]);
    const stepTwo = new PersonalDataProtector(newKey, [oldKey]);
    const sealedAfter = stepTwo.seal("13987654321");
    expect(stepTwo.open(sealedBefore)).toBe("13812345678");
    expect(stepOne.open(sealedAfter)).toBe("13987654321");
    expect(() => new PersonalDataProtector(oldKey).open(sealedAfter)).toThrow(
      "none of the personal-data keys",
    );
  });

  it("refuses a key of the wrong size", () => {
    expect(() => new PersonalDataProtector("c2hvcnQ=")).toThrow("32 bytes");
    expect(() => new PersonalDataProtector(randomBytes(32).toString("base64"), ["c2hvcnQ="])).toThrow(
      "32 bytes",
    );
  });
});
