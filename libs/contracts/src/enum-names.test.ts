import { describe, expect, it } from "vitest";
import { enumNames } from "./enum-names.js";
import { gridCasesV1 } from "./index.js";

describe("enumNames", () => {
  const channel = enumNames(gridCasesV1.Channel, "CHANNEL_");

  it("maps values to short lowercase names and back", () => {
    expect(channel.toName(gridCasesV1.Channel.CHANNEL_HOTLINE_12345)).toBe("hotline_12345");
    expect(channel.fromName("walk_in")).toBe(gridCasesV1.Channel.CHANNEL_WALK_IN);
  });

  it("gives no name to the unspecified value or unknown values, and 0 to unknown names", () => {
    expect(channel.names).not.toContain("unspecified");
    expect(channel.toName(gridCasesV1.Channel.CHANNEL_UNSPECIFIED)).toBe("");
    expect(channel.toName(gridCasesV1.Channel.UNRECOGNIZED)).toBe("");
    expect(channel.fromName("fax")).toBe(0);
  });
});
