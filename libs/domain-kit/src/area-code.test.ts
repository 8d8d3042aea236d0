import { describe, expect, it } from "vitest";
import { AreaCode } from "./area-code.js";

describe("area codes", () => {
  it("reads a code's level from its length, a six-digit code ending in 00 as a city", () => {
    expect(AreaCode.level("440400")).toBe("city");
    expect(AreaCode.level("440402")).toBe("district");
    expect(AreaCode.level("440402001002")).toBe("community");
    expect(AreaCode.level("440402001002003004")).toBe("building");
    expect(AreaCode.level("4404020")).toBeUndefined();
    expect(AreaCode.level("44040x")).toBeUndefined();
  });

  it("tells whole codes of given levels from prefixes", () => {
    expect(AreaCode.is("440402001002")).toBe(true);
    expect(AreaCode.is("440402001002", "community")).toBe(true);
    expect(AreaCode.is("440402001", "community", "grid")).toBe(false);
    expect(AreaCode.is("4404020")).toBe(false);
    expect(AreaCode.isPrefix("44")).toBe(true);
    expect(AreaCode.isPrefix("4404020")).toBe(true);
    expect(AreaCode.isPrefix("44", { min: 6 })).toBe(false);
    expect(AreaCode.isPrefix("", { min: 0 })).toBe(true);
    expect(AreaCode.isPrefix("^.*")).toBe(false);
  });

  it("gives a level's whole codes as a pattern that agrees with `is`", () => {
    expect(AreaCode.pattern("district").source).toBe("^\\d{6}$");
    for (const code of ["440402", "440402001", "44040200100a", "4404020010"])
      expect(AreaCode.pattern("street").test(code), code).toBe(AreaCode.is(code, "street"));
  });

  it("walks up the tree: parent, ancestors, the community of a building", () => {
    expect(AreaCode.parent("440402001")).toBe("440402");
    expect(AreaCode.parent("440402")).toBe("440400");
    expect(AreaCode.parent("440400")).toBe("");
    expect(AreaCode.ancestors("440402001002003")).toEqual(["440402", "440402001", "440402001002"]);
    expect(AreaCode.ancestors("440402")).toEqual([]);
    expect(AreaCode.enclosing("440402001002003")).toEqual([
      "440000",
      "440400",
      "440402",
      "440402001",
      "440402001002",
    ]);
    expect(AreaCode.enclosing("440402")).toEqual(["440000", "440400"]);
    expect(AreaCode.enclosing("440400")).toEqual(["440000"]);
    expect(AreaCode.enclosing("440000")).toEqual([]);
    expect(AreaCode.enclosing("not-a-code")).toEqual([]);
    expect(AreaCode.communityOf("440402001002003004")).toBe("440402001002");
    expect(AreaCode.at("440402001002003", "street")).toBe("440402001");
  });
});

describe("area scopes", () => {
  it("lets a city or province code stand for its districts", () => {
    expect(AreaCode.prefixOf("440000")).toBe("44");
    expect(AreaCode.prefixOf("440400")).toBe("4404");
    expect(AreaCode.prefixOf("440402")).toBe("440402");
    expect(AreaCode.prefixOf("440402001")).toBe("440402001");
    expect(AreaCode.covers("440400", "440402001002003")).toBe(true);
    expect(AreaCode.covers("440000", "440402")).toBe(true);
    expect(AreaCode.covers("440400", "440300")).toBe(false);
  });

  it("covers by prefix below the district, and never from an empty scope", () => {
    expect(AreaCode.covers("440402001", "440402001002")).toBe(true);
    expect(AreaCode.covers("440402001002", "440402001003")).toBe(false);
    expect(AreaCode.covers("440402001002", "440402001")).toBe(false);
    expect(AreaCode.covers("", "440402")).toBe(false);
    expect(AreaCode.anyCovers(["440403", "440402001"], "440402001002")).toBe(true);
    expect(AreaCode.anyCovers([], "440402001002")).toBe(false);
  });
});

describe("area code ranges", () => {
  it("selects an area and everything below it, a city by its districts' prefix", () => {
    expect(AreaCode.range("state.areaId", "440402001")).toEqual({
      "state.areaId": { $gte: "440402001", $lt: "440402001:" },
    });
    expect(AreaCode.range("state.areaId", "440400")).toEqual({
      "state.areaId": { $gte: "4404", $lt: "4404:" },
    });
    expect(AreaCode.range("state.areaId", "")).toEqual({});
  });

  it("refuses what is not an area code, naming the parameter", () => {
    expect(() => AreaCode.range("state.areaId", "^.*", "areaIdPrefix")).toThrow(
      expect.objectContaining({
        violations: [{ field: "areaIdPrefix", description: "must be an area code (digits)" }],
      }),
    );
  });
});
