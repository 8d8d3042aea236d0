import {
  AlreadyExistsError,
  FailedPreconditionError,
  FieldChecks,
  InvalidArgumentError,
  isIdentifier,
} from "@civic/domain-kit";
import { type JointMeetingState, memberUnit } from "./joint-meeting.js";

/**
 * An agenda item of a joint meeting: a motion (提议), consulted regularly (常规协商) or at once
 * (即时协商), decided (决议), followed up (跟进落实) and closed. Each move is recorded with who,
 * when and a note; a move out of order changes nothing.
 */
export const agendaStages = [
  "motion",
  "regular_consultation",
  "immediate_consultation",
  "decided",
  "follow_up",
  "closed",
] as const;
export type AgendaStage = (typeof agendaStages)[number];

const nextStages: Record<AgendaStage, readonly AgendaStage[]> = {
  motion: ["regular_consultation", "immediate_consultation"],
  regular_consultation: ["decided"],
  immediate_consultation: ["decided"],
  decided: ["follow_up"],
  follow_up: ["closed"],
  closed: [],
};

export interface ProposeItem {
  title: string;
  description: string;
  /** The member unit that moved it, "" when the community itself did. */
  proposedByUnitId: string;
}

export interface StageChange {
  from: AgendaStage | "";
  to: AgendaStage;
  note: string;
  by: string;
  at: string;
}

export interface AgendaItem extends ProposeItem {
  status: "proposed";
  itemId: string;
  communityAreaId: string;
  stage: AgendaStage;
  history: StageChange[];
}

export type AgendaItemState = { status: "none" } | AgendaItem;

export type AgendaItemEvent =
  | {
      type: "agenda_item.proposed";
      data: ProposeItem & { itemId: string; areaId: string; by: string; at: string };
    }
  | {
      type: "agenda_item.advanced";
      data: { itemId: string; from: AgendaStage; to: AgendaStage; note: string; by: string; at: string };
    };

export const initialAgendaItemState = (): AgendaItemState => ({ status: "none" });

export function evolveAgendaItem(state: AgendaItemState, event: AgendaItemEvent): AgendaItemState {
  if (event.type === "agenda_item.proposed") {
    const { by, at, areaId, ...item } = event.data;
    return {
      status: "proposed",
      ...item,
      communityAreaId: areaId,
      stage: "motion",
      history: [{ from: "", to: "motion", note: "", by, at }],
    };
  }
  if (state.status === "none") return state;
  const { from, to, note, by, at } = event.data;
  return { ...state, stage: to, history: [...state.history, { from, to, note, by, at }] };
}

export function validateItem(command: ProposeItem): void {
  new FieldChecks()
    .text("title", command.title, { max: 200 })
    .check("description", [...command.description].length <= 5_000, "must be at most 5,000 characters")
    .check(
      "proposedByUnitId",
      command.proposedByUnitId === "" || isIdentifier(command.proposedByUnitId),
      "must be empty or a unit id",
    )
    .throwIfAny();
}

export function decidePropose(
  command: ProposeItem,
  itemId: string,
  communityAreaId: string,
  jointMeeting: JointMeetingState,
  state: AgendaItemState,
  by: string,
  now: Date,
): AgendaItemEvent {
  if (command.proposedByUnitId !== "" && !memberUnit(jointMeeting, command.proposedByUnitId))
    throw new InvalidArgumentError([
      { field: "proposedByUnitId", description: "is not a member unit of this joint meeting" },
    ]);
  if (state.status !== "none") throw new AlreadyExistsError(`agenda item ${itemId} already exists`);
  return {
    type: "agenda_item.proposed",
    data: {
      itemId,
      areaId: communityAreaId,
      title: command.title.trim(),
      description: command.description,
      proposedByUnitId: command.proposedByUnitId,
      by,
      at: now.toISOString(),
    },
  };
}

export function validateAdvance(to: string, note: string): void {
  // A motion is where an item starts, not a stage it advances to.
  const checks = new FieldChecks().oneOf("to", to, agendaStages.slice(1));
  if ([...note].length > 2_000) checks.add("note", "must be at most 2,000 characters");
  else if (to === "decided" && note.trim() === "") checks.add("note", "must state the decision");
  checks.throwIfAny();
}

export function decideAdvance(
  item: AgendaItem,
  to: AgendaStage,
  note: string,
  by: string,
  now: Date,
): AgendaItemEvent {
  if (!nextStages[item.stage].includes(to))
    throw new FailedPreconditionError(
      `agenda item ${item.itemId} is at ${item.stage}; it moves on to ${nextStages[item.stage].join(" or ") || "nothing"}, not ${to}`,
      "STAGE_OUT_OF_ORDER",
    );
  return {
    type: "agenda_item.advanced",
    data: { itemId: item.itemId, from: item.stage, to, note: note.trim(), by, at: now.toISOString() },
  };
}
