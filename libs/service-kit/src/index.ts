export { type Caller, callerFromMetadata, callerToMetadata } from "./caller.js";
export { ConfigError, durationMs, loadConfig, port, serviceConfigShape } from "./config.js";
export {
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
export { clientInterceptors } from "./grpc-client.js";
export { type GrpcServiceRegistration, type RunningGrpcServer, startGrpcServer } from "./grpc-server.js";
export { type ParsedGrpcError, parseGrpcError, toGrpcStatus } from "./grpc-status.js";
export { runUntilSignalled, type Stopper } from "./lifecycle.js";
export { isPhoneNumber, maskPhone, PersonalDataProtector } from "./personal-data.js";
export { type RpcContext, unaryHandler, useRpcLogger } from "./unary.js";
