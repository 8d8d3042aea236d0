export { AreaCode, type AreaLevel, areaLevels } from "./area-code.js";
export { type Caller, hasAnyRole, roles } from "./caller.js";
export {
  chinaDate,
  chinaDateTime,
  chinaMonth,
  chinaOffsetMs,
  isCalendarDate,
  isCalendarMonth,
  requireCalendarMonth,
} from "./china-time.js";
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
export { FieldChecks, isIdentifier } from "./field-checks.js";
export { isPhoneNumber, maskPhone } from "./phone-number.js";
