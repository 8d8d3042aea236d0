import { describe, expect, it } from "vitest";
import { shortEnumName } from "./enum-names.js";
import { httpCatalogue, postOutcome } from "./http-catalogue.js";

describe("the HTTP catalogue of the compiled protos", () => {
  const catalogue = httpCatalogue();
  const operation = (operationId: string) => {
    const found = catalogue.operations.find((candidate) => candidate.operationId === operationId);
    if (!found) throw new Error(`no operation ${operationId}`);
    return found;
  };

  it("covers every RPC: each has a google.api.http rule", () => {
    expect(catalogue.unannotated).toEqual([]);
  });

  it("reads a rule's method, path fields in lowerCamelCase, body, response body and comment", () => {
    expect(operation("grid_cases.CaseService.GetCase")).toMatchObject({
      rpcPath: "/civic.grid_cases.v1.CaseService/GetCase",
      method: "get",
      path: "/api/v1/cases/{caseId}",
      pathFields: ["caseId"],
      body: "",
      responseBody: "case",
      comment: expect.stringMatching(/\S/),
    });
  });

  it("finds the GET that reads what a POST creates", () => {
    const submitCase = operation("grid_cases.CaseService.SubmitCase");
    const outcome = postOutcome(submitCase, catalogue.operations);
    expect(outcome).toMatchObject({ creates: true, flag: undefined });
    expect(outcome.reader?.operationId).toBe("grid_cases.CaseService.GetCase");
  });

  it("names enum values as the short enumNames do", () => {
    const status = operation("grid_cases.CaseService.GetCase")
      .output.fields.find((field) => field.name === "case")
      ?.message?.fields.find((field) => field.name === "status")?.enum;
    expect(status && shortEnumName(status, "CASE_STATUS_SUBMITTED")).toBe("submitted");
  });
});
