import { describe, expect, it } from "vitest";
import { isPhoneNumber, maskPhone } from "./phone-number.js";

describe("phone numbers", () => {
  it("masks phones and recognises valid ones", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskPhone("12345")).toBe("***45");
    expect(isPhoneNumber("13812345678")).toBe(true);
    expect(isPhoneNumber("0756-2212345")).toBe(true);
    expect(isPhoneNumber("12345")).toBe(false);
  });
});
