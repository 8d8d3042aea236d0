/**
 * Domain errors: what pure domain code and use cases throw. Plain TypeScript, no gRPC: the
 * gRPC edge maps each kind to a status code with google.rpc details (grpc-status.ts).
 *
 * A domain error's message is shown to the caller, so it must not contain internals; any
 * other error becomes INTERNAL with a generic message.
 */
export abstract class DomainError extends Error {
  /** UPPER_SNAKE reason for google.rpc.ErrorInfo, e.g. VERSION_CONFLICT, NOT_A_GRID. */
  abstract readonly reason: string;
  /** Which status this is; the gRPC edge maps it to a code. */
  abstract readonly kind: DomainErrorKind;
  /** Extra facts for the caller (google.rpc.ErrorInfo metadata), e.g. the current version in a conflict. */
  readonly metadata: Record<string, string> = {};
}

export type DomainErrorKind =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "conflict"
  | "failed_precondition"
  | "permission_denied"
  | "unauthenticated"
  | "unavailable";

/**
 * True for a DomainError, also one from another copy of this module (a second install,
 * or `dist` next to `src`), where `instanceof` would say no.
 */
export function isDomainError(error: unknown): error is DomainError {
  if (error instanceof DomainError) return true;
  if (!(error instanceof Error)) return false;
  const candidate = error as Partial<DomainError>;
  return (
    typeof candidate.reason === "string" &&
    typeof candidate.kind === "string" &&
    typeof candidate.metadata === "object" &&
    candidate.metadata !== null
  );
}

export interface FieldViolation {
  /** Path of the offending field in the request, e.g. "title" or "address.street". */
  field: string;
  description: string;
}

export class InvalidArgumentError extends DomainError {
  override readonly name = "InvalidArgumentError";
  readonly kind = "invalid_argument";
  readonly reason = "INVALID_ARGUMENT";
  constructor(readonly violations: FieldViolation[]) {
    super(violations.map((violation) => `${violation.field} ${violation.description}`).join("; "));
  }
}

export class NotFoundError extends DomainError {
  override readonly name = "NotFoundError";
  readonly kind = "not_found";
  readonly reason = "NOT_FOUND";
  constructor(what: string, id: string) {
    super(`${what} ${id} was not found`);
  }
}

export class AlreadyExistsError extends DomainError {
  override readonly name = "AlreadyExistsError";
  readonly kind = "already_exists";
  constructor(
    message: string,
    readonly reason = "ALREADY_EXISTS",
  ) {
    super(message);
  }
}

/**
 * Another writer changed the thing first (gRPC ABORTED): reload and try again. `refusedNow`
 * is set when the state the winner left refuses the command, so trying the same command
 * again cannot succeed.
 */
export class ConflictError extends DomainError {
  override readonly name = "ConflictError";
  readonly kind = "conflict";
  readonly reason = "VERSION_CONFLICT";
  readonly refusedNow: FailedPreconditionError | undefined;
  constructor(message: string, details: { currentVersion: number; refusedNow?: FailedPreconditionError }) {
    super(message);
    this.metadata.currentVersion = String(details.currentVersion);
    this.refusedNow = details.refusedNow;
  }
}

/** The request is fine but the current state does not allow it. */
export class FailedPreconditionError extends DomainError {
  override readonly name = "FailedPreconditionError";
  readonly kind = "failed_precondition";
  constructor(
    message: string,
    readonly reason = "FAILED_PRECONDITION",
  ) {
    super(message);
  }
}

export class PermissionDeniedError extends DomainError {
  override readonly name = "PermissionDeniedError";
  readonly kind = "permission_denied";
  constructor(
    message: string,
    readonly reason = "PERMISSION_DENIED",
  ) {
    super(message);
  }
}

export class UnauthenticatedError extends DomainError {
  override readonly name = "UnauthenticatedError";
  readonly kind = "unauthenticated";
  constructor(
    message: string,
    readonly reason = "UNAUTHENTICATED",
  ) {
    super(message);
  }
}

/** A dependency is down or overloaded for now; the caller may retry later (gRPC UNAVAILABLE). */
export class UnavailableError extends DomainError {
  override readonly name = "UnavailableError";
  readonly kind = "unavailable";
  constructor(
    message: string,
    readonly reason = "UNAVAILABLE",
  ) {
    super(message);
  }
}
