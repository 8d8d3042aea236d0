import { describe, expect, it } from "vitest";
import { contractViolation } from "./response-contract.js";

describe("the response contract", () => {
  const organisation = {
    creditCode: "51440402MJL000016P",
    status: "filed",
    version: 1,
    creditListEntries: [],
  };

  it("accepts an answer the document describes", () => {
    expect(
      contractViolation("GET", `/api/v1/organisations/${organisation.creditCode}`, 200, organisation),
    ).toBe(undefined);
    expect(
      contractViolation("GET", "/api/v1/organisations/x", 404, {
        type: "t",
        title: "Not found",
        status: 404,
      }),
    ).toBe(undefined);
  });

  it("names the operation and the field of an answer that disagrees", () => {
    const extra = contractViolation("GET", "/api/v1/organisations/x?a=1", 200, {
      ...organisation,
      colour: "red",
    });
    expect(extra).toContain("social_registry.OrganisationService.GetOrganisation answered 200");
    expect(extra).toContain("/colour must NOT have additional properties");
    const wrongType = contractViolation("GET", "/api/v1/organisations/x", 200, {
      ...organisation,
      version: "1",
    });
    expect(wrongType).toContain("/version must be integer");
    const wrongEnum = contractViolation("GET", "/api/v1/organisations/x", 200, {
      ...organisation,
      status: "",
    });
    expect(wrongEnum).toContain("/status must be equal to one of the allowed values");
  });

  it("refuses a status the operation does not list", () => {
    expect(contractViolation("GET", "/api/v1/organisations/x", 201, organisation)).toBe(
      "social_registry.OrganisationService.GetOrganisation answered 201, which the document does not list",
    );
  });
});
