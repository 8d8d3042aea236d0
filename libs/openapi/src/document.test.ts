import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument, openApiDocumentFromProtos } from "./index.js";

type Document = { paths: Record<string, Record<string, { operationId: string; summary: string }>> };

describe("the OpenAPI document", () => {
  const document = openApiDocument() as Document;

  it("is the one the compiled protos give now: `pnpm generate` wrote it after the last change", () => {
    expect(document).toEqual(openApiDocumentFromProtos());
  });

  it("is valid OpenAPI 3.1 whose references all resolve", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(validator.version).toBe("3.1");
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it("describes every operation in words from its proto comment", () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    const undescribed = operations.filter((operation) => operation.summary === operation.operationId);
    expect(undescribed.map((operation) => operation.operationId)).toEqual([]);
    expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(operations.length);
  });

  it("declares Idempotency-Key on every POST and the rate-limit headers on answers", () => {
    type Operation = {
      parameters: { $ref?: string }[];
      responses: Record<string, { headers?: Record<string, unknown> }>;
    };
    const operations = Object.entries(
      document.paths as unknown as Record<string, Record<string, Operation>>,
    ).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );
    const annotated = operations.filter(
      ({ path }) => path.startsWith("/api/v1/") && !path.includes("event-stream"),
    );
    const posts = annotated.filter(({ method }) => method === "post");
    expect(posts.length).toBeGreaterThan(50);
    for (const { path, operation } of posts) {
      expect(operation.parameters, path).toContainEqual({ $ref: "#/components/parameters/IdempotencyKey" });
    }
    for (const { path, method, operation } of annotated) {
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith("2"));
      for (const [status, response] of success) {
        expect(Object.keys(response.headers ?? {}), `${method} ${path} ${status}`).toContain("RateLimit");
      }
    }
  });

  it("shows enums by their lowercase names and path fields as path parameters", () => {
    const anyDocument = document as unknown as {
      paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>>;
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    const caseSchema = anyDocument.components.schemas["civic.grid_cases.v1.Case"];
    expect(caseSchema?.properties.status?.enum).toContain("submitted");
    expect(caseSchema?.properties.status?.enum).not.toContain("unspecified");
    const getCase = anyDocument.paths["/api/v1/cases/{caseId}"]?.get;
    expect(getCase?.parameters).toEqual([expect.objectContaining({ name: "caseId", in: "path" })]);
  });
});
