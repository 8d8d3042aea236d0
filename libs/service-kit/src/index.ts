export { anyAreaCovers, areaCodeRange, areaCovers, areaPrefixOf } from "./area-scope.js";
export { type Caller, callerFromMetadata, callerMetadataKeys, callerToMetadata } from "./caller.js";
export { chinaDate, chinaDateTime, chinaMonth, chinaOffsetMs, isCalendarDate } from "./china-time.js";
export {
  ConfigError,
  commonServiceConfig,
  durationMs,
  loadConfig,
  port,
  serviceConfigShape,
  url,
} from "./config.js";
export {
  AlreadyExistsError,
  ConflictError,
  DomainError,
  type DomainErrorKind,
  FailedPreconditionError,
  type FieldViolation,
  InvalidArgumentError,
  isDomainError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
} from "./errors.js";
export {
  callUnary,
  clientInterceptors,
  createClientOptions,
  deadlineIn,
  tracingInterceptor,
  type UnaryCallOptions,
  type UnaryMethod,
} from "./grpc-client.js";
export { type GrpcServiceRegistration, type RunningGrpcServer, startGrpcServer } from "./grpc-server.js";
export {
  type GrpcErrorStatus,
  internalErrorMessage,
  type ParsedGrpcError,
  parseGrpcError,
  statusDetailsKey,
  toGrpcError,
  toGrpcStatus,
} from "./grpc-status.js";
export { InFlightCalls, inFlightCalls } from "./in-flight.js";
export { runUntilSignalled, type Stopper, stopInOrder } from "./lifecycle.js";
export { PeriodicRound } from "./periodic-round.js";
export { isPhoneNumber, maskPhone, PersonalDataProtector } from "./personal-data.js";
export { type RunningService, runServiceMain } from "./service-main.js";
export { escapeRegExp } from "./text-pattern.js";
export {
  CallCancelledError,
  DeadlineExceededError,
  type RpcContext,
  unaryHandler,
  useRpcLogger,
} from "./unary.js";
