import { describe, expect, it } from "vitest";
import {
  creditCodeCheckCharacter,
  creditCodeParts,
  creditCodeProblem,
  organisationCodeCheckCharacter,
  withCreditCodeCheck,
} from "./credit-code.js";

describe("unified social credit code (GB 32100-2015)", () => {
  // Published codes of well-known companies: their check characters follow from the rule.
  it.each([
    ["91440300708461136T", "Shenzhen Tencent Computer Systems"],
    ["914403001922038216", "Huawei Technologies"],
    ["91330100716105852F", "Alibaba (China)"],
    ["91110000802100433B", "Baidu Online Network Technology"],
  ])("accepts %s (%s)", (code) => {
    expect(creditCodeProblem(code)).toBeUndefined();
  });

  it("computes the check character with weights 3^i mod 31 over the 31-character alphabet", () => {
    expect(creditCodeCheckCharacter("91440300708461136")).toBe("T");
    expect(creditCodeCheckCharacter("91440300192203821")).toBe("6");
    // A social group registered by civil affairs in Xiangzhou (5 1 440402, organisation code
    // MJL00001 with its GB 11714 check 6).
    expect(withCreditCodeCheck("51440402MJL000016")).toBe("51440402MJL000016P");
  });

  it("computes the GB 11714 organisation-code check (weights 3 7 9 10 5 8 4 2, mod 11, 10 → X)", () => {
    expect(organisationCodeCheckCharacter("70846113")).toBe("6");
    expect(organisationCodeCheckCharacter("19220382")).toBe("1");
    expect(organisationCodeCheckCharacter("MJL00001")).toBe("6");
  });

  it("splits a code into its parts", () => {
    expect(creditCodeParts("51440402MJL000016P")).toEqual({
      registrationAuthority: "5",
      organisationCategory: "1",
      divisionCode: "440402",
      organisationCode: "MJL000016",
    });
  });

  it("refuses a wrong check character, naming the right one", () => {
    expect(creditCodeProblem("91440300708461136A")).toBe("has the wrong check character: expected 'T'");
    expect(creditCodeProblem("51440402MJL000016Q")).toBe("has the wrong check character: expected 'P'");
  });

  it("refuses a wrong organisation-code check even when character 18 was computed over it", () => {
    const broken = withCreditCodeCheck("51440402MJL000017");
    expect(creditCodeProblem(broken)).toMatch(/organisation code .* expected '6'/);
  });

  it.each([
    ["51440402MJL0000-6P", /contains '-'/],
    ["51440402MJL00001", /18 characters/],
    ["51440402mjl000016P", /only digits and capital letters/],
    ["51440402MJLO00016P", /contains 'O'/],
    ["Z1440402MJL000016P", /contains 'Z'/],
    ["C1440402MJL000016P", /unknown registration authority 'C'/],
    ["54440402MJL000016P", /category '4' does not exist for registration authority '5'/],
    ["514404A2MJL000016P", /6-digit division code/],
  ])("refuses %s", (code, problem) => {
    expect(creditCodeProblem(code)).toMatch(problem);
  });
});
