// The domain's words, for adapters and use cases that import this package anyway.
export {
  AlreadyExistsError,
  type Caller,
  ConflictError,
  chinaDate,
  chinaDateTime,
  chinaMonth,
  chinaOffsetMs,
  DomainError,
  type DomainErrorKind,
  FailedPreconditionError,
  type FieldViolation,
  InvalidArgumentError,
  isCalendarDate,
  isDomainError,
  isPhoneNumber,
  maskPhone,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
} from "@civic/domain-kit";
export { anyAreaCovers, areaCovers } from "./area-scope.js";
export {
  arrivalFromMetadata,
  arrivalToMetadata,
  arrivedAtMetadataKey,
  millisecondsSinceArrival,
  withCallArrival,
} from "./call-arrival.js";
export { callReadOptions, callSignal, throwIfCallAborted, withCallSignal } from "./call-signal.js";
export {
  CallerTokenIssuer,
  CallerTokenVerifier,
  callerTokenAudience,
  callerTokenIssuerName,
  callerTokenMetadataKey,
  generateCallerTokenKeys,
} from "./caller-token.js";
export {
  ConfigError,
  commonServiceConfig,
  durationMs,
  loadConfig,
  type PersonalDataConfig,
  personalDataConfigShape,
  port,
  serviceConfigShape,
  url,
} from "./config.js";
export {
  callUnary,
  clientInterceptors,
  createClientOptions,
  deadlineIn,
  metricsInterceptor,
  reconnectBackoff,
  tracingInterceptor,
  type UnaryCallOptions,
  type UnaryMethod,
} from "./grpc-client.js";
export { type GrpcServiceRegistration, type RunningGrpcServer, startGrpcServer } from "./grpc-server.js";
export {
  type CallerTokenKeys,
  configureGrpcServing,
  type GrpcServing,
  grpcServing,
  inProcessCallerTokens,
} from "./grpc-serving.js";
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
export { type FieldProblem, validateInput } from "./input-validation.js";
export { runUntilSignalled, type Stopper, stopInOrder } from "./lifecycle.js";
export { type NatsConnectionConfig, natsConnectionOptions } from "./nats-connection.js";
export { PeriodicRound } from "./periodic-round.js";
export { PersonalDataProtector } from "./personal-data.js";
export { loadConfigOrExit, type RunningService, runServiceMain } from "./service-main.js";
export { escapeRegExp } from "./text-pattern.js";
export {
  CallCancelledError,
  DeadlineExceededError,
  type RpcContext,
  unaryHandler,
  useRpcLogger,
} from "./unary.js";
export { pageWith, replyWith, type UnaryHandlers, unaryService } from "./unary-service.js";
