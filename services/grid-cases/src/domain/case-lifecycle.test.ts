import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { type CaseStatus, caseStatuses, evolveCase, initialCaseState, type OpenCase } from "./case.js";
import { CaseCategoryCatalogue, defaultCaseCategories } from "./case-categories.js";
import {
  type CaseActor,
  type CaseCommand,
  type CaseCommandKind,
  caseRoles,
  caseTransitions,
  decideCaseTransition,
  decideSlaBreach,
  maxWhistleDepartments,
} from "./case-lifecycle.js";
import { SlaClock } from "./sla.js";
import { decideSubmitCase } from "./submit-case.js";
import { china2026, WorkingCalendar } from "./working-calendar.js";

const catalogue = new CaseCategoryCatalogue(defaultCaseCategories);
const sealForTest = (plain: string) => `sealed(${plain})`;
const sla = new SlaClock(catalogue, new WorkingCalendar([china2026]));

const now = new Date("2026-03-02T02:00:00Z");
const gridCode = "440402001002003";

const submitted = evolveCase(
  initialCaseState(),
  decideSubmitCase(
    {
      caseId: "c-1",
      channel: "hotline_12345",
      requestType: "complaint",
      categoryCode: "sewage-discharge",
      title: "Sewage in the street",
      description: "Black water from the restaurant drain",
      areaId: gridCode,
      address: "",
      reporterName: "",
      reporterPhone: "",
      anonymous: false,
      submittedBy: "operator-1",
      submittedAt: now,
    },
    initialCaseState(),
    catalogue,
    sealForTest,
  ),
) as OpenCase;

const caseIn = (status: CaseStatus, extra: Partial<OpenCase> = {}): OpenCase => ({
  ...submitted,
  status,
  departmentId: "water-affairs",
  satisfaction: status === "visited" ? "dissatisfied" : "",
  deadlines: { policy: "urgent", resolve: "2026-03-05T16:00:00.000Z" },
  ...extra,
});

const commandCentre: CaseActor = { subject: "cc-1", roles: [caseRoles.commandCentre], areas: ["440402"] };
const communityStaff: CaseActor = {
  subject: "cs-1",
  roles: [caseRoles.communityStaff],
  areas: ["440402001002"],
};
const waterDepartment: CaseActor = {
  subject: "w-1",
  roles: [caseRoles.departmentStaff],
  areas: [],
  department: "water-affairs",
};

const validCommands: Record<CaseCommandKind, CaseCommand> = {
  accept: { kind: "accept" },
  reject: { kind: "reject", reason: "Not within the city's remit" },
  dispatch: { kind: "dispatch", departmentId: "water-affairs" },
  sign_for: { kind: "sign_for" },
  return: { kind: "return", reason: "Private property", basis: "Property management regulations art. 12" },
  start_work: { kind: "start_work" },
  resolve: { kind: "resolve", result: "Drain blocked and owner fined" },
  record_return_visit: { kind: "record_return_visit", satisfaction: "dissatisfied", comment: "Still smells" },
  reopen: { kind: "reopen", reason: "Resident dissatisfied" },
  close: { kind: "close" },
  record_contact: { kind: "record_contact" },
  record_arrival: { kind: "record_arrival" },
  extend: { kind: "extend", reason: "Parts on order from the supplier" },
  blow_whistle: {
    kind: "blow_whistle",
    departmentIds: ["water-affairs", "urban-management"],
    reason: "Sewage and illegal stalls at once",
    reportWithinHours: 24,
  },
  acknowledge_whistle: { kind: "acknowledge_whistle" },
  report_arrival: { kind: "report_arrival" },
  issue_supervision: { kind: "issue_supervision", note: "Overdue: report progress by Friday" },
};

const rightActor = (kind: CaseCommandKind): CaseActor =>
  caseTransitions[kind].scope === "area" ? commandCentre : waterDepartment;

/** What each command needs besides the status: an open whistle to report to, an overdue deadline. */
const preconditionsFor = (kind: CaseCommandKind): Partial<OpenCase> => {
  const summoned = (acknowledgedAt: string) => ({
    reason: "r",
    reportBy: "2026-03-03T02:00:00.000Z",
    escalated: false,
    reports: [{ departmentId: "water-affairs", acknowledgedAt, arrivedAt: "" }],
  });
  if (kind === "acknowledge_whistle") return { whistle: summoned("") };
  if (kind === "report_arrival") return { whistle: summoned("2026-03-02T03:00:00.000Z") };
  if (kind === "issue_supervision") return { breaches: ["resolve"] };
  return {};
};

const expectedStatus: Partial<Record<CaseCommandKind, CaseStatus>> = {
  accept: "accepted",
  reject: "rejected",
  dispatch: "dispatched",
  sign_for: "signed_for",
  return: "returned",
  start_work: "in_progress",
  resolve: "resolved",
  record_return_visit: "visited",
  reopen: "in_progress",
  close: "closed",
};

const statusKept = (kind: CaseCommandKind) => expectedStatus[kind] === undefined;

describe("case lifecycle", () => {
  for (const kind of Object.keys(caseTransitions) as CaseCommandKind[]) {
    for (const status of caseStatuses) {
      const allowed = caseTransitions[kind].from.includes(status);
      it(`${kind} from ${status} is ${allowed ? "allowed" : "forbidden"}`, () => {
        const state = caseIn(status, preconditionsFor(kind));
        const decide = () => decideCaseTransition(validCommands[kind], state, rightActor(kind), now, sla);
        if (allowed) {
          const next = evolveCase(state, decide());
          expect(next.status).toBe(
            statusKept(kind) ? status : expectedStatus[kind as keyof typeof expectedStatus],
          );
          expect((next as OpenCase).timeline.at(-1)).toMatchObject({
            by: rightActor(kind).subject,
            at: now.toISOString(),
          });
        } else {
          expect(decide).toThrow(FailedPreconditionError);
          expect(decide).toThrow(`in state ${status}`);
        }
      });
    }
  }

  it("walks the whole happy path and keeps a timeline of who did what", () => {
    let state = submitted as ReturnType<typeof evolveCase>;
    const steps: [CaseCommand, CaseActor][] = [
      [validCommands.accept, communityStaff],
      [validCommands.dispatch, commandCentre],
      [validCommands.sign_for, waterDepartment],
      [validCommands.start_work, waterDepartment],
      [validCommands.resolve, waterDepartment],
      [{ kind: "record_return_visit", satisfaction: "satisfied", comment: "" }, communityStaff],
      [validCommands.close, commandCentre],
    ];
    for (const [command, actor] of steps)
      state = evolveCase(state, decideCaseTransition(command, state, actor, now, sla));
    const closed = state as OpenCase;
    expect(closed.status).toBe("closed");
    expect(closed.result).toBe("Drain blocked and owner fined");
    expect(closed.timeline.map((entry) => `${entry.type} by ${entry.by}`)).toEqual([
      "case.submitted by operator-1",
      "case.accepted by cs-1",
      "case.dispatched by cc-1",
      "case.signed_for by w-1",
      "case.work_started by w-1",
      "case.resolved by w-1",
      "case.return_visited by cs-1",
      "case.closed by cc-1",
    ]);
  });

  it("a returned case goes back to dispatch with its reason and basis on the timeline", () => {
    const returned = evolveCase(
      caseIn("dispatched"),
      decideCaseTransition(validCommands.return, caseIn("dispatched"), waterDepartment, now, sla),
    ) as OpenCase;
    expect(returned.status).toBe("returned");
    expect(returned.departmentId).toBe("");
    expect(returned.timeline.at(-1)?.note).toBe(
      "Private property (basis: Property management regulations art. 12)",
    );
    const redispatched = decideCaseTransition(
      { kind: "dispatch", departmentId: "urban-management" },
      returned,
      commandCentre,
      now,
      sla,
    );
    expect(redispatched).toMatchObject({
      type: "case.dispatched",
      data: { departmentId: "urban-management" },
    });
  });

  it("reopens once after a dissatisfied return visit, never twice, never when satisfied", () => {
    const reopened = evolveCase(
      caseIn("visited"),
      decideCaseTransition(validCommands.reopen, caseIn("visited"), commandCentre, now, sla),
    ) as OpenCase;
    expect(reopened).toMatchObject({ status: "in_progress", reopenCount: 1 });
    const visitedAgain = caseIn("visited", { reopenCount: 1 });
    expect(() => decideCaseTransition(validCommands.reopen, visitedAgain, commandCentre, now, sla)).toThrow(
      "already reopened once",
    );
    const satisfied = caseIn("visited", { satisfaction: "satisfied" });
    expect(() => decideCaseTransition(validCommands.reopen, satisfied, commandCentre, now, sla)).toThrow(
      FailedPreconditionError,
    );
  });

  it("checks the caller's role, area and department", () => {
    const otherCommunity: CaseActor = { ...communityStaff, areas: ["440402001009"] };
    const otherDepartment: CaseActor = { ...waterDepartment, department: "housing" };
    const resident: CaseActor = { subject: "r-1", roles: ["resident"], areas: [gridCode] };
    expect(() =>
      decideCaseTransition(validCommands.accept, caseIn("submitted"), otherCommunity, now, sla),
    ).toThrow(PermissionDeniedError);
    expect(() => decideCaseTransition(validCommands.accept, caseIn("submitted"), resident, now, sla)).toThrow(
      PermissionDeniedError,
    );
    expect(() =>
      decideCaseTransition(validCommands.sign_for, caseIn("dispatched"), otherDepartment, now, sla),
    ).toThrow(PermissionDeniedError);
    expect(() =>
      decideCaseTransition(validCommands.dispatch, caseIn("accepted"), communityStaff, now, sla),
    ).toThrow(PermissionDeniedError);
  });

  it("refuses bad input with field violations before anything else", () => {
    const refusal = (command: CaseCommand) => {
      try {
        decideCaseTransition(command, caseIn("submitted"), commandCentre, now, sla);
      } catch (error) {
        return error;
      }
    };
    expect((refusal({ kind: "reject", reason: "  " }) as InvalidArgumentError).violations).toEqual([
      { field: "reason", description: "must not be empty" },
    ]);
    expect(
      (refusal({ kind: "record_return_visit", satisfaction: "6", comment: "" }) as InvalidArgumentError)
        .violations,
    ).toEqual([
      { field: "satisfaction", description: "must be one of satisfied, basically_satisfied, dissatisfied" },
    ]);
    expect(refusal({ kind: "return", reason: "x", basis: "" })).toBeInstanceOf(InvalidArgumentError);
  });

  it("an unknown case is not found", () => {
    expect(() =>
      decideCaseTransition(validCommands.accept, initialCaseState(), commandCentre, now, sla),
    ).toThrow(NotFoundError);
  });

  it("whistle and report: community staff summon departments, each acknowledges then arrives", () => {
    const urban: CaseActor = { ...waterDepartment, subject: "u-1", department: "urban-management" };
    let state: ReturnType<typeof evolveCase> = caseIn("in_progress");
    const act = (command: CaseCommand, actor: CaseActor) => {
      state = evolveCase(state, decideCaseTransition(command, state, actor, now, sla));
    };
    act(validCommands.blow_whistle, communityStaff);
    const open = state as OpenCase;
    expect(open.whistle?.reportBy).toBe("2026-03-03T02:00:00.000Z");
    expect(open.nextDueAt).toBe("2026-03-03T02:00:00.000Z");
    expect(() => act(validCommands.blow_whistle, communityStaff)).toThrow("already has an open whistle");
    expect(() => act(validCommands.report_arrival, waterDepartment)).toThrow(
      "acknowledge the whistle before",
    );
    act(validCommands.acknowledge_whistle, waterDepartment);
    expect(() => act(validCommands.acknowledge_whistle, waterDepartment)).toThrow(FailedPreconditionError);
    act(validCommands.report_arrival, waterDepartment);
    const housing: CaseActor = { ...waterDepartment, department: "housing" };
    expect(() => act(validCommands.acknowledge_whistle, housing)).toThrow(PermissionDeniedError);

    const late = new Date("2026-03-03T03:00:00Z");
    const overdue = decideSlaBreach(state, late);
    expect(overdue).toMatchObject({
      type: "case.whistle_overdue",
      data: { departmentIds: ["urban-management"] },
    });
    state = evolveCase(state, overdue as NonNullable<typeof overdue>);
    expect(decideSlaBreach(state, late)).toBeUndefined();
    act(validCommands.issue_supervision, commandCentre);
    act(validCommands.acknowledge_whistle, urban);
    expect((state as OpenCase).supervisions).toBe(1);
  });

  it("a whistle with no departments, repeated departments or a silly deadline is refused", () => {
    const violationsOf = (command: CaseCommand) => {
      try {
        decideCaseTransition(command, caseIn("in_progress"), communityStaff, now, sla);
      } catch (error) {
        return (error as InvalidArgumentError).violations.map((violation) => violation.field);
      }
    };
    expect(violationsOf({ ...validCommands.blow_whistle, departmentIds: [] } as CaseCommand)).toEqual([
      "departmentIds",
    ]);
    expect(
      violationsOf({
        ...validCommands.blow_whistle,
        departmentIds: ["a", "a"],
        reportWithinHours: 0,
      } as CaseCommand),
    ).toEqual(["departmentIds", "reportWithinHours"]);
    const manyDepartments = Array.from({ length: maxWhistleDepartments + 1 }, (_, index) => `d-${index}`);
    expect(
      violationsOf({ ...validCommands.blow_whistle, departmentIds: manyDepartments } as CaseCommand),
    ).toEqual(["departmentIds"]);
  });

  it("supervision is only for overdue cases", () => {
    expect(() =>
      decideCaseTransition(validCommands.issue_supervision, caseIn("in_progress"), commandCentre, now, sla),
    ).toThrow("is not overdue");
  });
});
