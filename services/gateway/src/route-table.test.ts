import { describe, expect, it } from "vitest";
import { RouteTable } from "./route-table.js";

describe("a table of routes", () => {
  const table = new RouteTable<string>();
  table.add("get", "/api/v1/cases", "list cases");
  table.add("post", "/api/v1/cases", "submit a case");
  table.add("get", "/api/v1/cases/:caseId", "get a case");
  table.add("get", "/api/v1/cases/statistics/:areaId", "statistics");
  table.add("post", "/api/v1/cases/:caseId/transitions", "transition");
  table.add(undefined, "/open311/v2", "open311");

  it("finds a route by method and path, literals before parameters, as Express matches them", () => {
    expect(table.find("GET", "/api/v1/cases")).toBe("list cases");
    expect(table.find("POST", "/api/v1/cases")).toBe("submit a case");
    expect(table.find("GET", "/api/v1/cases/c-1")).toBe("get a case");
    expect(table.find("GET", "/api/v1/cases/statistics/4404")).toBe("statistics");
    // "statistics" is a literal of one route and a case id for another.
    expect(table.find("GET", "/api/v1/cases/statistics")).toBe("get a case");
    expect(table.find("POST", "/api/v1/cases/c-1/transitions")).toBe("transition");
  });

  it("matches case-insensitively, with a trailing slash, and HEAD as GET", () => {
    expect(table.find("GET", "/API/v1/Cases/")).toBe("list cases");
    expect(table.find("HEAD", "/api/v1/cases/c-1")).toBe("get a case");
  });

  it("finds nothing for another method, a longer or shorter path, or an empty parameter", () => {
    expect(table.find("DELETE", "/api/v1/cases")).toBeUndefined();
    expect(table.find("GET", "/api/v1/cases/c-1/transitions")).toBeUndefined();
    expect(table.find("GET", "/api/v1")).toBeUndefined();
    expect(table.find("POST", "/api/v1/cases//transitions")).toBeUndefined();
    expect(table.find("GET", "/healthz")).toBeUndefined();
  });

  it("covers every path below a prefix route, with any method", () => {
    expect(table.find("GET", "/open311/v2")).toBe("open311");
    expect(table.find("POST", "/open311/v2/requests.xml")).toBe("open311");
    expect(table.find("GET", "/open311/v2x")).toBeUndefined();
  });
});
