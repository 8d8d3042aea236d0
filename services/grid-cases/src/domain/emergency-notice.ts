import {
  AlreadyExistsError,
  AreaCode,
  type Caller,
  FieldChecks,
  hasAnyRole,
  InvalidArgumentError,
  PermissionDeniedError,
  roles,
} from "@civic/domain-kit";

/**
 * Emergency notices (数字社区, 一键式发布) [seed 004]: one broadcast to chosen communities, and
 * each household's check-in (safe or needs help), once. A community's households are its
 * buildings' household counts (grid-cases' area tree), numbered per building:
 * "<18-digit building code>-<n>".
 */

export const checkInAnswers = ["safe", "need_help"] as const;
export type CheckInAnswer = (typeof checkInAnswers)[number];

export const residentRole = "resident";
const maxCommunities = 200;

export interface NoticeCommunity {
  communityId: string;
  households: number;
}

export interface BroadcastNotice {
  status: "broadcast";
  noticeId: string;
  title: string;
  message: string;
  communities: NoticeCommunity[];
  areaId: string;
  broadcastBy: string;
  broadcastAt: string;
}

export type EmergencyNoticeState = { status: "none" } | BroadcastNotice;

export type EmergencyNoticeEvent = {
  type: "emergency_notice.broadcast";
  data: Omit<BroadcastNotice, "status" | "broadcastBy" | "broadcastAt"> & { by: string; at: string };
};

export const initialEmergencyNoticeState = (): EmergencyNoticeState => ({ status: "none" });

export function evolveEmergencyNotice(
  _state: EmergencyNoticeState,
  event: EmergencyNoticeEvent,
): EmergencyNoticeState {
  const { by, at, ...notice } = event.data;
  return { status: "broadcast", ...notice, broadcastBy: by, broadcastAt: at };
}

export interface CheckInCounts {
  households: number;
  answered: number;
  safe: number;
  needHelp: number;
  unanswered: number;
}

/** One community's answers to one notice: the aggregate `notice_tally-<notice id>.<community id>`. */
export interface NoticeTallyState {
  answers: Record<string, CheckInAnswer>;
  safe: number;
  needHelp: number;
}

export type NoticeTallyEvent = {
  type: "emergency_notice.checked_in";
  data: {
    noticeId: string;
    /** The household's community. */
    areaId: string;
    householdId: string;
    answer: CheckInAnswer;
    note: string;
    counts: CheckInCounts;
    by: string;
    at: string;
  };
};

export const initialNoticeTallyState = (): NoticeTallyState => ({ answers: {}, safe: 0, needHelp: 0 });

export function evolveNoticeTally(state: NoticeTallyState, event: NoticeTallyEvent): NoticeTallyState {
  const { householdId, answer } = event.data;
  return {
    answers: { ...state.answers, [householdId]: answer },
    safe: state.safe + (answer === "safe" ? 1 : 0),
    needHelp: state.needHelp + (answer === "need_help" ? 1 : 0),
  };
}

export const tallyId = (noticeId: string, communityId: string) => `${noticeId}.${communityId}`;

export function countsOf(tally: NoticeTallyState, households: number): CheckInCounts {
  const answered = tally.safe + tally.needHelp;
  return {
    households,
    answered,
    safe: tally.safe,
    needHelp: tally.needHelp,
    unanswered: Math.max(households - answered, 0),
  };
}

// --- who may do what ---

/** The command centre broadcasts anywhere; street staff to communities their areas cover. */
export function checkBroadcaster(caller: Caller, communityIds: readonly string[]): void {
  if (hasAnyRole(caller, [roles.commandCentre])) return;
  if (!hasAnyRole(caller, [roles.streetStaff]))
    throw new PermissionDeniedError("emergency notices are broadcast by the command centre or street staff");
  const outside = communityIds.filter((id) => !AreaCode.anyCovers(caller.areas, id));
  if (outside.length > 0)
    throw new PermissionDeniedError(`communities ${outside.join(", ")} are outside the caller's areas`);
}

/** Counts and the unanswered households: the command centre, or staff whose areas cover the community. */
export function mayFollowCommunity(caller: Caller, communityId: string): boolean {
  return (
    hasAnyRole(caller, [roles.commandCentre, roles.platformAdmin]) ||
    (hasAnyRole(caller, [roles.streetStaff, roles.communityStaff, roles.gridWorker]) &&
      AreaCode.anyCovers(caller.areas, communityId))
  );
}

/** A resident whose areas cover the household's building, or its community's staff or grid workers. */
export function checkCheckInCaller(caller: Caller, buildingId: string): void {
  const covers = AreaCode.anyCovers(caller.areas, buildingId);
  if (hasAnyRole(caller, [residentRole, roles.communityStaff, roles.gridWorker]) && covers) return;
  throw new PermissionDeniedError(
    "a household checks in by a resident of its building, or its community's staff or grid workers",
  );
}

// --- input ---

export interface BroadcastCommand {
  title: string;
  message: string;
  communityIds: string[];
}

export function checkBroadcast(command: BroadcastCommand): void {
  const checks = new FieldChecks()
    .text("title", command.title, { max: 100 })
    .text("message", command.message, { max: 2_000 })
    .check(
      "communityIds",
      command.communityIds.length >= 1 && command.communityIds.length <= maxCommunities,
      `must name 1 to ${maxCommunities} communities`,
    )
    .check(
      "communityIds",
      new Set(command.communityIds).size === command.communityIds.length,
      "must name each community once",
    );
  command.communityIds.forEach((id, index) => {
    checks.check(
      `communityIds[${index}]`,
      AreaCode.is(id, "community"),
      "must be a community code (12 digits)",
    );
  });
  checks.throwIfAny();
}

/** The lowest area above every community: a street, a district, or their city. */
export function commonAreaOf(communityIds: readonly string[]): string {
  const [first = ""] = communityIds;
  for (const level of ["street", "district"] as const) {
    const area = AreaCode.at(first, level);
    if (communityIds.every((id) => AreaCode.at(id, level) === area)) return area;
  }
  return `${first.slice(0, 4)}00`;
}

export function decideBroadcast(
  command: BroadcastCommand & { noticeId: string; communities: NoticeCommunity[] },
  state: EmergencyNoticeState,
  caller: Caller,
  now: Date,
): EmergencyNoticeEvent {
  if (state.status !== "none") throw new AlreadyExistsError(`notice ${command.noticeId} already exists`);
  return {
    type: "emergency_notice.broadcast",
    data: {
      noticeId: command.noticeId,
      title: command.title.trim(),
      message: command.message.trim(),
      communities: command.communities,
      areaId: commonAreaOf(command.communityIds),
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}

export interface CheckInCommand {
  householdId: string;
  answer: string;
  note: string;
}

/** `<building code>-<number from 1>`. */
const householdPattern = /^(\d+)-([1-9]\d{0,4})$/;

/** The household's building and number, or field errors for every bad field. */
export function checkCheckIn(command: CheckInCommand): { buildingId: string; number: number } {
  const household = householdPattern.exec(command.householdId);
  const isHousehold = household !== null && AreaCode.is(household[1] ?? "", "building");
  new FieldChecks()
    .check("householdId", isHousehold, "must be <18-digit building code>-<number from 1>")
    .oneOf("answer", command.answer, checkInAnswers)
    .text("note", command.note, { max: 500, optional: true })
    .throwIfAny();
  return { buildingId: household?.[1] ?? "", number: Number(household?.[2]) };
}

export const noSuchHousehold = (householdId: string) =>
  new InvalidArgumentError([
    { field: "householdId", description: `${householdId} is no household of the notice's communities` },
  ]);

export function decideCheckIn(
  command: CheckInCommand & { noticeId: string; communityId: string; households: number },
  tally: NoticeTallyState,
  caller: Caller,
  now: Date,
): NoticeTallyEvent {
  if (tally.answers[command.householdId] !== undefined)
    throw new AlreadyExistsError(
      `household ${command.householdId} has already checked in`,
      "ALREADY_CHECKED_IN",
    );
  const answer = command.answer as CheckInAnswer;
  const after = evolveNoticeTally(tally, {
    type: "emergency_notice.checked_in",
    data: { householdId: command.householdId, answer } as NoticeTallyEvent["data"],
  });
  return {
    type: "emergency_notice.checked_in",
    data: {
      noticeId: command.noticeId,
      areaId: command.communityId,
      householdId: command.householdId,
      answer,
      note: command.note.trim(),
      counts: countsOf(after, command.households),
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}
