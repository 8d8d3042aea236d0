import { InvalidArgumentError, NotFoundError, toGrpcError } from "@civic/service-kit";
import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { problemFromGrpcError, retryAfterSeconds } from "./error-problem.js";

// What a service's handler error looks like once it reached the gateway's client.
const received = (error: unknown): ServiceError =>
  Object.assign(new Error("from the service"), toGrpcError(error)) as unknown as ServiceError;

describe("problems from gRPC errors", () => {
  it("names the gRPC code and the fields at fault of an INVALID_ARGUMENT", () => {
    const problem = problemFromGrpcError(
      received(new InvalidArgumentError([{ field: "areaId", description: "must be a 12-digit code" }])),
      "/api/v1/cases",
    );
    expect(problem).toMatchObject({
      status: 400,
      type: "urn:civic:problem:invalid-request",
      grpcCode: "INVALID_ARGUMENT",
      instance: "/api/v1/cases",
      errors: [{ field: "areaId", detail: "must be a 12-digit code" }],
    });
  });

  it("maps NOT_FOUND to 404 with the service's message", () => {
    const problem = problemFromGrpcError(received(new NotFoundError("case", "c-1")), "/api/v1/cases/c-1");
    expect(problem).toMatchObject({ status: 404, grpcCode: "NOT_FOUND", detail: "case c-1 was not found" });
  });

  it("maps a service at capacity (RESOURCE_EXHAUSTED) to 503 with a retry after 1 s, not to 429", () => {
    const error = Object.assign(new Error("at capacity"), {
      code: status.RESOURCE_EXHAUSTED,
      details: "the service is at capacity (64 calls in flight); retry shortly",
      metadata: new Metadata(),
    }) as unknown as ServiceError;
    expect(problemFromGrpcError(error, "/api/v1/cases")).toMatchObject({
      status: 503,
      type: "urn:civic:problem:service-unavailable",
      grpcCode: "RESOURCE_EXHAUSTED",
    });
    expect(retryAfterSeconds(error)).toBe(1);
    expect(retryAfterSeconds(received(new NotFoundError("case", "c-1")))).toBeUndefined();
  });

  it("tells a call never sent (503, retry) from one dropped after it reached the service (504, outcome unknown)", () => {
    const unavailable = (details: string) =>
      Object.assign(new Error(details), {
        code: status.UNAVAILABLE,
        details,
        metadata: new Metadata(),
      }) as unknown as ServiceError;
    for (const details of [
      "No connection established. Last error: connect ECONNREFUSED 127.0.0.1:50051. Resolution note: ",
      "Stream refused by server",
    ]) {
      expect(problemFromGrpcError(unavailable(details), "/api/v1/cases").status, details).toBe(503);
      expect(retryAfterSeconds(unavailable(details))).toBe(1);
    }
    for (const details of ["Connection dropped", "read ECONNRESET"]) {
      expect(problemFromGrpcError(unavailable(details), "/api/v1/cases"), details).toMatchObject({
        status: 504,
        type: "urn:civic:problem:timeout",
        grpcCode: "UNAVAILABLE",
      });
      expect(retryAfterSeconds(unavailable(details))).toBeUndefined();
    }
  });

  it("answers 500 without the service's words for a code it does not map", () => {
    const error = Object.assign(new Error("data loss"), {
      code: status.DATA_LOSS,
      details: "disk block 7 is corrupt",
      metadata: new Metadata(),
    }) as unknown as ServiceError;
    const problem = problemFromGrpcError(error, "/api/v1/cases");
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain("disk block");
  });
});
