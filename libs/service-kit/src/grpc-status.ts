import { type googleProtobuf, googleRpc } from "@civic/contracts";
import { Metadata, type ServiceError, status as Status, type StatusObject } from "@grpc/grpc-js";
import {
  AlreadyExistsError,
  ConflictError,
  DomainError,
  FailedPreconditionError,
  type FieldViolation,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
} from "./errors.js";

const detailsKey = "grpc-status-details-bin";
const badRequestType = "type.googleapis.com/google.rpc.BadRequest";
const errorInfoType = "type.googleapis.com/google.rpc.ErrorInfo";
const errorDomain = "civic";

function codeOf(error: DomainError): Status {
  if (error instanceof InvalidArgumentError) return Status.INVALID_ARGUMENT;
  if (error instanceof NotFoundError) return Status.NOT_FOUND;
  if (error instanceof AlreadyExistsError) return Status.ALREADY_EXISTS;
  if (error instanceof ConflictError) return Status.ABORTED;
  if (error instanceof FailedPreconditionError) return Status.FAILED_PRECONDITION;
  if (error instanceof PermissionDeniedError) return Status.PERMISSION_DENIED;
  if (error instanceof UnauthenticatedError) return Status.UNAUTHENTICATED;
  return Status.INTERNAL;
}

/**
 * The gRPC status for an error a handler threw: domain errors keep their message and carry
 * google.rpc details (BadRequest field violations, ErrorInfo reason and metadata) in
 * `grpc-status-details-bin`; anything else is INTERNAL with a message that reveals nothing.
 */
export function toGrpcStatus(error: unknown): Partial<StatusObject> & { code: Status } {
  if (!(error instanceof DomainError)) {
    return { code: Status.INTERNAL, details: "internal error" };
  }
  const code = codeOf(error);
  const details: googleProtobuf.Any[] = [
    {
      typeUrl: errorInfoType,
      value: Buffer.from(
        googleRpc.ErrorInfo.encode({
          reason: error.reason,
          domain: errorDomain,
          metadata: error.metadata,
        }).finish(),
      ),
    },
  ];
  if (error instanceof InvalidArgumentError) {
    const fieldViolations = error.violations.map((violation) => ({ ...violation, reason: "" }));
    details.unshift({
      typeUrl: badRequestType,
      value: Buffer.from(googleRpc.BadRequest.encode({ fieldViolations }).finish()),
    });
  }
  const metadata = new Metadata();
  metadata.set(
    detailsKey,
    Buffer.from(googleRpc.Status.encode({ code, message: error.message, details }).finish()),
  );
  return { code, details: error.message, metadata };
}

export interface ParsedGrpcError {
  code: Status;
  message: string;
  reason?: string;
  violations: FieldViolation[];
  metadata: Record<string, string>;
}

/** Reads the google.rpc details back from an error a client received. */
export function parseGrpcError(error: ServiceError): ParsedGrpcError {
  const parsed: ParsedGrpcError = { code: error.code, message: error.details, violations: [], metadata: {} };
  const [encoded] = error.metadata?.get(detailsKey) ?? [];
  if (!(encoded instanceof Buffer)) return parsed;
  try {
    const status = googleRpc.Status.decode(encoded);
    for (const detail of status.details) {
      if (detail.typeUrl === badRequestType) {
        parsed.violations = googleRpc.BadRequest.decode(detail.value).fieldViolations.map(
          ({ field, description }) => ({
            field,
            description,
          }),
        );
      } else if (detail.typeUrl === errorInfoType) {
        const info = googleRpc.ErrorInfo.decode(detail.value);
        parsed.reason = info.reason;
        parsed.metadata = info.metadata;
      }
    }
  } catch {
    // Details that do not decode are ignored: the status code and message still stand.
  }
  return parsed;
}
