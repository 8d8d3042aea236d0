/**
 * Domain errors: what pure domain code and use cases throw. The gRPC edge maps each to a
 * status code with google.rpc details (grpc-status.ts).
 */
export abstract class DomainError extends Error {
  /** UPPER_SNAKE reason for google.rpc.ErrorInfo. */
  abstract readonly reason: string;
  /** Extra facts for the caller, e.g. the current version in a conflict. */
  readonly metadata: Record<string, string> = {};
}

export interface FieldViolation {
  field: string;
  description: string;
}

export class InvalidArgumentError extends DomainError {
  override readonly name = "InvalidArgumentError";
  readonly reason = "INVALID_ARGUMENT";
  constructor(readonly violations: FieldViolation[]) {
    super(violations.map((violation) => `${violation.field} ${violation.description}`).join("; "));
  }
}

export class NotFoundError extends DomainError {
  override readonly name = "NotFoundError";
  readonly reason = "NOT_FOUND";
  constructor(what: string, id: string) {
    super(`${what} ${id} was not found`);
  }
}

export class AlreadyExistsError extends DomainError {
  override readonly name = "AlreadyExistsError";
  readonly reason = "ALREADY_EXISTS";
}

/** Another writer changed the thing first (gRPC ABORTED): reload and try again. */
export class ConflictError extends DomainError {
  override readonly name = "ConflictError";
  readonly reason = "VERSION_CONFLICT";
  constructor(message: string, details: { currentVersion: number }) {
    super(message);
    this.metadata.currentVersion = String(details.currentVersion);
  }
}

/** The request is fine but the current state does not allow it. */
export class FailedPreconditionError extends DomainError {
  override readonly name = "FailedPreconditionError";
  readonly reason: string;
  constructor(message: string, reason = "FAILED_PRECONDITION") {
    super(message);
    this.reason = reason;
  }
}

export class PermissionDeniedError extends DomainError {
  override readonly name = "PermissionDeniedError";
  readonly reason = "PERMISSION_DENIED";
}

export class UnauthenticatedError extends DomainError {
  override readonly name = "UnauthenticatedError";
  readonly reason = "UNAUTHENTICATED";
}
