import {
  AreaCode,
  chinaDate,
  FailedPreconditionError,
  FieldChecks,
  isCalendarDate,
  NotFoundError,
} from "@civic/domain-kit";

/**
 * A resolution: what an adopted vote decided, the tasks it hands to other services
 * (TEAM contract 3: `resolution.task_requested`), their progress as those services report
 * it, and a date to review the outcome.
 */
export const taskKinds = ["case", "volunteer_activity", "charity_project"] as const;
export type TaskKind = (typeof taskKinds)[number];

/** The services that carry out tasks, and the origin domain their events name. */
export const taskServices = ["grid-cases", "volunteer-stations", "social-registry"] as const;

export interface ProgressEntry {
  percent: number;
  note: string;
  /** The reporting service and its event's id: a redelivered event is applied once. */
  domain: string;
  sourceEventId: string;
  at: string;
}

export interface Task {
  taskId: string;
  kind: TaskKind;
  areaId: string;
  title: string;
  description: string;
  categoryCode: string;
  budgetFen: number | null;
  requestedBy: string;
  requestedAt: string;
  percent: number;
  timeline: ProgressEntry[];
}

export interface ResolutionAdoptedData {
  resolutionId: string;
  /** The adopted vote; "" for a motion adopted at a meeting. */
  voteId: string;
  /** The meeting and motion, for a resolution of a motion; "" otherwise. */
  meetingId: string;
  motionId: string;
  councilId: string;
  areaId: string;
  title: string;
  text: string;
  reviewDate: string;
  adoptedBy: string;
  at: string;
}

export type ResolutionEvent =
  | { type: "resolution.adopted"; data: ResolutionAdoptedData }
  | {
      type: "resolution.task_requested";
      data: {
        taskId: string;
        resolutionId: string;
        kind: TaskKind;
        areaId: string;
        title: string;
        description: string;
        categoryCode?: string;
        budgetFen?: number;
        requestedBy: string;
        at: string;
      };
    }
  | { type: "resolution.task_progressed"; data: ProgressEntry & { resolutionId: string; taskId: string } }
  | { type: "resolution.reviewed"; data: { resolutionId: string; outcome: string; by: string; at: string } };

export type ResolutionState =
  | { status: "none" }
  | (ResolutionAdoptedData & {
      status: "adopted" | "reviewed";
      tasks: Task[];
      review: { outcome: string; by: string; at: string } | null;
    });
export type Resolution = Exclude<ResolutionState, { status: "none" }>;

export const initialResolutionState = (): ResolutionState => ({ status: "none" });

export function evolveResolution(state: ResolutionState, event: ResolutionEvent): ResolutionState {
  if (event.type === "resolution.adopted")
    return { ...event.data, status: "adopted", tasks: [], review: null };
  if (state.status === "none") return state;
  switch (event.type) {
    case "resolution.task_requested": {
      const { resolutionId: _, at, categoryCode, budgetFen, ...task } = event.data;
      return {
        ...state,
        tasks: [
          ...state.tasks,
          {
            ...task,
            categoryCode: categoryCode ?? "",
            budgetFen: budgetFen ?? null,
            requestedAt: at,
            percent: 0,
            timeline: [],
          },
        ],
      };
    }
    case "resolution.task_progressed": {
      const { resolutionId: _, taskId, ...entry } = event.data;
      return {
        ...state,
        tasks: state.tasks.map((task) =>
          task.taskId === taskId
            ? { ...task, percent: entry.percent, timeline: [...task.timeline, entry] }
            : task,
        ),
      };
    }
    case "resolution.reviewed":
      return {
        ...state,
        status: "reviewed",
        review: { outcome: event.data.outcome, by: event.data.by, at: event.data.at },
      };
  }
}

export function requireResolution(state: ResolutionState, resolutionId: string): Resolution {
  if (state.status === "none") throw new NotFoundError("resolution", resolutionId);
  return state;
}

export function decideAdopt(
  command: Omit<ResolutionAdoptedData, "adoptedBy" | "at"> & { by: string; at: Date },
): ResolutionEvent {
  new FieldChecks()
    .requiredText("title", command.title, 200)
    .requiredText("text", command.text, 4000)
    .check("reviewDate", isCalendarDate(command.reviewDate), "must be a date YYYY-MM-DD")
    .check(
      "reviewDate",
      !isCalendarDate(command.reviewDate) || command.reviewDate > command.at.toISOString().slice(0, 10),
      "must be after today",
    )
    .throwIfAny();
  return {
    type: "resolution.adopted",
    data: {
      resolutionId: command.resolutionId,
      voteId: command.voteId,
      meetingId: command.meetingId,
      motionId: command.motionId,
      councilId: command.councilId,
      areaId: command.areaId,
      title: command.title.trim(),
      text: command.text.trim(),
      reviewDate: command.reviewDate,
      adoptedBy: command.by,
      at: command.at.toISOString(),
    },
  };
}

export interface RequestTask {
  taskId: string;
  kind: string;
  areaId: string;
  title: string;
  description: string;
  categoryCode: string;
  budgetFen: number | undefined;
  by: string;
  at: Date;
}

export function decideRequestTask(resolution: Resolution, command: RequestTask): ResolutionEvent {
  const areaId = command.areaId.trim() || resolution.areaId;
  new FieldChecks()
    .oneOf("kind", command.kind, taskKinds)
    .check(
      "areaId",
      AreaCode.isPrefix(areaId) && areaId.startsWith(resolution.areaId),
      `must be ${resolution.areaId} or an area within it`,
    )
    .requiredText("title", command.title, 100)
    .requiredText("description", command.description, 2000)
    .check(
      "categoryCode",
      command.kind !== "case" || /^[a-z0-9-]{2,64}$/.test(command.categoryCode.trim()),
      "a case needs a grid-cases category code",
    )
    .check(
      "budgetFen",
      command.budgetFen === undefined ||
        (Number.isInteger(command.budgetFen) && command.budgetFen >= 0 && command.budgetFen <= 1_000_000_000),
      "must be a whole number of fen, 0 to 1,000,000,000",
    )
    .throwIfAny();
  if (resolution.status === "reviewed") {
    throw new FailedPreconditionError(
      `resolution ${resolution.resolutionId} was reviewed: it takes no new tasks`,
      "RESOLUTION_REVIEWED",
    );
  }
  return {
    type: "resolution.task_requested",
    data: {
      taskId: command.taskId,
      resolutionId: resolution.resolutionId,
      kind: command.kind as TaskKind,
      areaId,
      title: command.title.trim(),
      description: command.description.trim(),
      ...(command.kind === "case" ? { categoryCode: command.categoryCode.trim() } : {}),
      ...(command.budgetFen === undefined ? {} : { budgetFen: command.budgetFen }),
      requestedBy: command.by,
      at: command.at.toISOString(),
    },
  };
}

/** What a service that carries out a task reports of its progress, from one of its events. */
export interface TaskProgressReport {
  taskId: string;
  percent: number;
  note: string;
  domain: string;
  sourceEventId: string;
  at: string;
}

/** Applies a service's progress report once; a report already applied (redelivery) is nothing to do. */
export function decideProgress(
  resolution: Resolution,
  report: TaskProgressReport,
): ResolutionEvent | undefined {
  const task = resolution.tasks.find((candidate) => candidate.taskId === report.taskId);
  if (!task) throw new NotFoundError(`task of resolution ${resolution.resolutionId}`, report.taskId);
  if (task.timeline.some((entry) => entry.sourceEventId === report.sourceEventId)) return undefined;
  return {
    type: "resolution.task_progressed",
    data: {
      resolutionId: resolution.resolutionId,
      taskId: report.taskId,
      percent: report.percent,
      note: report.note.slice(0, 500),
      domain: report.domain,
      sourceEventId: report.sourceEventId,
      at: report.at,
    },
  };
}

/** The outcome's review is due once its date has come in China and nobody has reviewed it. */
export function isReviewDue(resolution: Resolution, now: Date): boolean {
  return resolution.status !== "reviewed" && resolution.reviewDate <= chinaDate(now);
}

export function decideReview(resolution: Resolution, outcome: string, by: string, at: Date): ResolutionEvent {
  new FieldChecks().requiredText("outcome", outcome, 2000).throwIfAny();
  if (resolution.status === "reviewed") {
    throw new FailedPreconditionError(
      `resolution ${resolution.resolutionId} was already reviewed`,
      "RESOLUTION_REVIEWED",
    );
  }
  return {
    type: "resolution.reviewed",
    data: { resolutionId: resolution.resolutionId, outcome: outcome.trim(), by, at: at.toISOString() },
  };
}
