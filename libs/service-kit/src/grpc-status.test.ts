import {
  AlreadyExistsError,
  FailedPreconditionError,
  isDomainError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
} from "@civic/domain-kit";
import { Metadata, status as Status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { parseGrpcError, statusDetailsKey, toGrpcError } from "./grpc-status.js";

/** What a client sees: the server's status as a ServiceError-like object. */
const roundTrip = (error: unknown) => {
  const status = toGrpcError(error);
  return parseGrpcError({ code: status.code, details: status.details, metadata: status.metadata });
};

describe("toGrpcError / parseGrpcError", () => {
  it.each([
    [new NotFoundError("case", "c-9"), Status.NOT_FOUND, "NOT_FOUND", "case c-9 was not found"],
    [new AlreadyExistsError("case c-1 already exists"), Status.ALREADY_EXISTS, "ALREADY_EXISTS", undefined],
    [
      new FailedPreconditionError("staff are assigned to grids", "NOT_A_GRID"),
      Status.FAILED_PRECONDITION,
      "NOT_A_GRID",
      undefined,
    ],
    [
      new PermissionDeniedError("accept needs community_staff"),
      Status.PERMISSION_DENIED,
      "PERMISSION_DENIED",
      undefined,
    ],
    [new UnauthenticatedError("no caller"), Status.UNAUTHENTICATED, "UNAUTHENTICATED", undefined],
    [
      new UnavailableError("NATS is down", "EVENTS_UNAVAILABLE"),
      Status.UNAVAILABLE,
      "EVENTS_UNAVAILABLE",
      undefined,
    ],
  ])("maps %s to its code and reason", (error, code, reason, message) => {
    const parsed = roundTrip(error);
    expect(parsed).toMatchObject({ code, reason, message: message ?? error.message, violations: [] });
  });

  it("hides anything that is not a domain error behind INTERNAL", () => {
    for (const error of [new Error("secret"), "secret", undefined, { reason: "X", kind: "not_found" }]) {
      const status = toGrpcError(error);
      expect(status.code).toBe(Status.INTERNAL);
      expect(status.details).toBe("internal error");
      expect(JSON.stringify(roundTrip(error))).not.toContain("secret");
    }
  });

  it("recognises a domain error from another copy of the module by its shape", () => {
    const foreign = Object.assign(new Error("case c-2 was not found"), {
      kind: "not_found",
      reason: "NOT_FOUND",
      metadata: {},
    });
    expect(isDomainError(foreign)).toBe(true);
    expect(toGrpcError(foreign).code).toBe(Status.NOT_FOUND);
  });

  it("keeps code and message when there are no details or they do not decode", () => {
    expect(parseGrpcError({ code: Status.UNAVAILABLE, details: "No connection established" })).toEqual({
      code: Status.UNAVAILABLE,
      message: "No connection established",
      violations: [],
      metadata: {},
    });
    const metadata = new Metadata();
    metadata.set(statusDetailsKey, Buffer.from([0xff, 0xff, 0xff]));
    expect(parseGrpcError({ code: Status.INTERNAL, details: "x", metadata })).toMatchObject({
      code: Status.INTERNAL,
      message: "x",
    });
  });
});
