import { FailedPreconditionError, InvalidArgumentError } from "@civic/domain-kit";

/** The field violations of the InvalidArgumentError that `run` throws (tests only). */
export function violationsOf(run: () => unknown): InvalidArgumentError["violations"] {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error.violations;
    throw error;
  }
  throw new Error("expected an InvalidArgumentError");
}

/** The reason of the FailedPreconditionError that `run` throws (tests only). */
export function preconditionReasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FailedPreconditionError) return error.reason;
    throw error;
  }
  throw new Error("expected a FailedPreconditionError");
}
