import { AlreadyExistsError, FailedPreconditionError, FieldChecks, isCalendarDate } from "@civic/domain-kit";

/**
 * A duty on a service centre's roster (值班): one person, one local date, one period. The
 * id is built from all four, so a person is on duty at a centre once per period.
 */
export const dutyPeriods = ["morning", "afternoon", "evening"] as const;
export type DutyPeriod = (typeof dutyPeriods)[number];

export interface AssignDuty {
  date: string;
  period: string;
  personId: string;
  name: string;
  /** What they do on duty, e.g. 值班干部 (cadre on duty) or 党员先锋岗 (party-member post). */
  role: string;
}

export interface Duty {
  status: "assigned" | "removed";
  dutyId: string;
  centreId: string;
  date: string;
  period: DutyPeriod;
  personId: string;
  name: string;
  role: string;
  assignedBy: string;
  assignedAt: string;
}

export type DutyState = { status: "none" } | Duty;

export type DutyEvent =
  | {
      type: "duty.assigned";
      data: Omit<Duty, "status" | "assignedBy" | "assignedAt"> & { by: string; at: string };
    }
  | { type: "duty.removed"; data: { by: string; at: string } };

export const dutyIdOf = (centreId: string, date: string, period: string, personId: string) =>
  `${centreId}~${date}~${period}~${personId}`;

export const initialDutyState = (): DutyState => ({ status: "none" });

export function evolveDuty(state: DutyState, event: DutyEvent): DutyState {
  switch (event.type) {
    case "duty.assigned": {
      const { by, at, ...duty } = event.data;
      return { status: "assigned", ...duty, assignedBy: by, assignedAt: at };
    }
    case "duty.removed":
      return state.status === "none" ? state : { ...state, status: "removed" };
  }
}

export function validateDuty(command: AssignDuty): void {
  new FieldChecks()
    .check("date", isCalendarDate(command.date), "must be a date, YYYY-MM-DD")
    .oneOf("period", command.period, dutyPeriods)
    .identifier("personId", command.personId)
    .text("name", command.name, { max: 50 })
    // The role is stored as given, so its length is counted untrimmed.
    .check("role", [...command.role].length <= 50, "must be at most 50 characters")
    .throwIfAny();
}

export function decideAssignDuty(
  command: AssignDuty,
  centreId: string,
  state: DutyState,
  by: string,
  now: Date,
): DutyEvent {
  const dutyId = dutyIdOf(centreId, command.date, command.period, command.personId);
  if (state.status === "assigned")
    throw new AlreadyExistsError(
      `${command.personId} is already on duty at ${centreId} on ${command.date} (${command.period})`,
      "ALREADY_ON_DUTY",
    );
  return {
    type: "duty.assigned",
    data: {
      dutyId,
      centreId,
      date: command.date,
      period: command.period as DutyPeriod,
      personId: command.personId,
      name: command.name.trim(),
      role: command.role,
      by,
      at: now.toISOString(),
    },
  };
}

export function decideRemoveDuty(state: DutyState, by: string, now: Date): DutyEvent {
  if (state.status !== "assigned")
    throw new FailedPreconditionError("only an assigned duty can be removed", "NOT_ON_DUTY");
  return { type: "duty.removed", data: { by, at: now.toISOString() } };
}
