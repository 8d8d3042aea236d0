import { describe, expect, it } from "vitest";
import { anyAreaCovers, areaCodeRange, areaCovers, areaPrefixOf } from "./area-scope.js";

describe("area scopes", () => {
  it("lets a city or province code stand for its districts", () => {
    expect(areaPrefixOf("440000")).toBe("44");
    expect(areaPrefixOf("440400")).toBe("4404");
    expect(areaPrefixOf("440402")).toBe("440402");
    expect(areaPrefixOf("440402001")).toBe("440402001");
    expect(areaCovers("440400", "440402001002003")).toBe(true);
    expect(areaCovers("440000", "440402")).toBe(true);
    expect(areaCovers("440400", "440300")).toBe(false);
  });

  it("covers by prefix below the district, and never from an empty scope", () => {
    expect(areaCovers("440402001", "440402001002")).toBe(true);
    expect(areaCovers("440402001002", "440402001003")).toBe(false);
    expect(areaCovers("440402001002", "440402001")).toBe(false);
    expect(areaCovers("", "440402")).toBe(false);
    expect(anyAreaCovers(["440403", "440402001"], "440402001002")).toBe(true);
    expect(anyAreaCovers([], "440402001002")).toBe(false);
  });
});

describe("area code ranges", () => {
  it("selects an area and everything below it, a city by its districts' prefix", () => {
    expect(areaCodeRange("state.areaId", "440402001")).toEqual({
      "state.areaId": { $gte: "440402001", $lt: "440402001:" },
    });
    expect(areaCodeRange("state.areaId", "440400")).toEqual({
      "state.areaId": { $gte: "4404", $lt: "4404:" },
    });
    expect(areaCodeRange("state.areaId", "")).toEqual({});
  });

  it("refuses what is not an area code, naming the parameter", () => {
    expect(() => areaCodeRange("state.areaId", "^.*", "areaIdPrefix")).toThrow(
      expect.objectContaining({
        violations: [{ field: "areaIdPrefix", description: "must be an area code (digits)" }],
      }),
    );
  });
});
