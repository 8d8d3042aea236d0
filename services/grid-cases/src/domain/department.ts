import { AlreadyExistsError, FieldChecks } from "@civic/domain-kit";
import { isCatalogueCode } from "./catalogue-code.js";

/** A functional department cases are dispatched to (urban management, water affairs, …). */
export interface RegisteredDepartment {
  status: "registered";
  departmentId: string;
  name: string;
}

export type DepartmentState = { status: "none" } | RegisteredDepartment;

export type DepartmentEvent = {
  type: "department.registered";
  data: { departmentId: string; name: string; by: string; at: string };
};

export const initialDepartmentState = (): DepartmentState => ({ status: "none" });

export function evolveDepartment(_state: DepartmentState, event: DepartmentEvent): DepartmentState {
  return { status: "registered", departmentId: event.data.departmentId, name: event.data.name };
}

export function decideRegisterDepartment(
  command: { departmentId: string; name: string },
  state: DepartmentState,
  actor: { subject: string },
  now: Date,
): DepartmentEvent {
  new FieldChecks()
    .check(
      "departmentId",
      isCatalogueCode(command.departmentId),
      "must be a lowercase code such as water-affairs",
    )
    .check(
      "name",
      command.name.trim() !== "" && [...command.name].length <= 100,
      "must be 1 to 100 characters",
    )
    .throwIfAny();
  if (state.status !== "none")
    throw new AlreadyExistsError(`department ${command.departmentId} already exists`);
  return {
    type: "department.registered",
    data: {
      departmentId: command.departmentId,
      name: command.name.trim(),
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}
