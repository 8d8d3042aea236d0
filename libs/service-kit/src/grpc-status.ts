import { type googleProtobuf, googleRpc } from "@civic/contracts";
import { type DomainErrorKind, type FieldViolation, isDomainError } from "@civic/domain-kit";
import { Metadata, type ServiceError, status as Status, type StatusObject } from "@grpc/grpc-js";

/** Trailing metadata key carrying a binary google.rpc.Status (the gRPC richer error model). */
export const statusDetailsKey = "grpc-status-details-bin";
export const errorDomain = "civic";
const typeUrls = {
  badRequest: "type.googleapis.com/google.rpc.BadRequest",
  errorInfo: "type.googleapis.com/google.rpc.ErrorInfo",
} as const;

const codes: Record<DomainErrorKind, Status> = {
  invalid_argument: Status.INVALID_ARGUMENT,
  not_found: Status.NOT_FOUND,
  already_exists: Status.ALREADY_EXISTS,
  conflict: Status.ABORTED,
  failed_precondition: Status.FAILED_PRECONDITION,
  permission_denied: Status.PERMISSION_DENIED,
  unauthenticated: Status.UNAUTHENTICATED,
  unavailable: Status.UNAVAILABLE,
};

/** What a grpc-js unary handler passes to its callback for a failed call. */
export type GrpcErrorStatus = Partial<StatusObject> & { code: Status; details: string; metadata: Metadata };

/** The generic message of INTERNAL: nothing about what went wrong leaves the service. */
export const internalErrorMessage = "internal error";

/**
 * The gRPC status for an error a handler threw. Domain errors keep their message and carry
 * a google.rpc.Status in `grpc-status-details-bin` with google.rpc.BadRequest field
 * violations (InvalidArgumentError) and google.rpc.ErrorInfo {reason, domain "civic",
 * metadata}. Anything else is INTERNAL with a message that reveals nothing (log it first).
 */
export function toGrpcError(error: unknown): GrpcErrorStatus {
  const domainError = isDomainError(error) ? error : undefined;
  const code = domainError ? (codes[domainError.kind] ?? Status.INTERNAL) : Status.INTERNAL;
  const message = domainError && code !== Status.INTERNAL ? domainError.message : internalErrorMessage;
  const details: googleProtobuf.Any[] = [];
  if (domainError?.kind === "invalid_argument" && "violations" in domainError) {
    const violations = domainError.violations as FieldViolation[];
    details.push(
      pack(
        typeUrls.badRequest,
        googleRpc.BadRequest.encode({
          fieldViolations: violations.map(({ field, description }) => ({ field, description, reason: "" })),
        }).finish(),
      ),
    );
  }
  details.push(
    pack(
      typeUrls.errorInfo,
      googleRpc.ErrorInfo.encode({
        reason: domainError && code !== Status.INTERNAL ? domainError.reason : "INTERNAL",
        domain: errorDomain,
        metadata: domainError && code !== Status.INTERNAL ? { ...domainError.metadata } : {},
      }).finish(),
    ),
  );
  const metadata = new Metadata();
  metadata.set(statusDetailsKey, Buffer.from(googleRpc.Status.encode({ code, message, details }).finish()));
  return { code, details: message, metadata };
}

/** @deprecated the earlier name of {@link toGrpcError}. */
export const toGrpcStatus = toGrpcError;

function pack(typeUrl: string, value: Uint8Array): googleProtobuf.Any {
  return { typeUrl, value: Buffer.from(value) };
}

export interface ParsedGrpcError {
  code: Status;
  message: string;
  /** google.rpc.ErrorInfo reason, when the service sent one. */
  reason?: string;
  /** google.rpc.BadRequest field violations; empty when there are none. */
  violations: FieldViolation[];
  /** google.rpc.ErrorInfo metadata, e.g. { currentVersion: "7" }. */
  metadata: Record<string, string>;
}

/**
 * Reads a failed call's status back on the client, decoding the google.rpc details of
 * `grpc-status-details-bin` when present. Details that do not decode are ignored: the code
 * and message still stand.
 */
export function parseGrpcError(
  error: Pick<ServiceError, "code" | "details"> & { metadata?: Metadata },
): ParsedGrpcError {
  const parsed: ParsedGrpcError = { code: error.code, message: error.details, violations: [], metadata: {} };
  const [encoded] = error.metadata?.get(statusDetailsKey) ?? [];
  if (!(encoded instanceof Uint8Array)) return parsed;
  try {
    const status = googleRpc.Status.decode(encoded);
    if (status.message) parsed.message = status.message;
    for (const detail of status.details) {
      if (detail.typeUrl === typeUrls.badRequest) {
        parsed.violations = googleRpc.BadRequest.decode(detail.value).fieldViolations.map(
          ({ field, description }) => ({ field, description }),
        );
      } else if (detail.typeUrl === typeUrls.errorInfo) {
        const info = googleRpc.ErrorInfo.decode(detail.value);
        if (info.reason) parsed.reason = info.reason;
        parsed.metadata = { ...info.metadata };
      }
    }
  } catch {
    // Not a google.rpc.Status we understand: keep code and message.
  }
  return parsed;
}
