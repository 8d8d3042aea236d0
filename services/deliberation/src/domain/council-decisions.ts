import {
  AlreadyExistsError,
  AreaCode,
  FailedPreconditionError,
  FieldChecks,
  isCalendarDate,
  NotFoundError,
} from "@civic/domain-kit";
import {
  type Council,
  type CouncilEvent,
  type CouncilKind,
  type CouncilState,
  councilKinds,
  type MemberRole,
  memberRoles,
  seatLimits,
} from "./council.js";

export interface CreateCouncil {
  councilId: string;
  kind: string;
  areaId: string;
  name: string;
  seatCount: number;
  termStart: string;
  termEnd: string;
  by: string;
  at: Date;
}

export function decideCreateCouncil(command: CreateCouncil): CouncilEvent {
  const violations = new FieldChecks()
    .oneOf("kind", command.kind, councilKinds)
    .check("areaId", AreaCode.isPrefix(command.areaId), "must be an area code (2 to 18 digits)")
    .requiredText("name", command.name, 100)
    .check("termStart", isCalendarDate(command.termStart), "must be a date YYYY-MM-DD")
    .check("termEnd", isCalendarDate(command.termEnd), "must be a date YYYY-MM-DD");
  if (isCalendarDate(command.termStart) && isCalendarDate(command.termEnd)) {
    violations.check("termEnd", command.termEnd > command.termStart, "must come after termStart");
  }
  const limits = seatLimits[command.kind as CouncilKind];
  if (limits) {
    violations.check(
      "seatCount",
      Number.isInteger(command.seatCount) &&
        command.seatCount >= limits.min &&
        command.seatCount <= limits.max,
      `a ${command.kind.replaceAll("_", " ")} has ${limits.min} to ${limits.max} seats`,
    );
  }
  violations.throwIfAny();
  return {
    type: "council.created",
    data: {
      councilId: command.councilId,
      kind: command.kind as CouncilKind,
      areaId: command.areaId,
      name: command.name.trim(),
      seatCount: command.seatCount,
      termStart: command.termStart,
      termEnd: command.termEnd,
      createdBy: command.by,
      createdAt: command.at.toISOString(),
    },
  };
}

export interface AddMember {
  memberId: string;
  name: string;
  role: string;
  unitId: string;
  building: string;
  floorAreaCentiM2: number;
  by: string;
  at: Date;
}

export function decideAddMember(command: AddMember, council: Council): CouncilEvent {
  const isOwners = council.kind === "owners_assembly";
  new FieldChecks()
    .requiredText("memberId", command.memberId, 64)
    .requiredText("name", command.name, 50)
    .oneOf("role", command.role, memberRoles)
    .text("unitId", command.unitId, { max: 64, optional: true })
    .text("building", command.building, { max: 64, optional: true })
    .check("unitId", !isOwners || command.unitId.trim() !== "", "an owner stands for a unit")
    .check(
      "floorAreaCentiM2",
      Number.isInteger(command.floorAreaCentiM2) &&
        command.floorAreaCentiM2 >= 0 &&
        command.floorAreaCentiM2 <= 100_000_000,
      "must be a whole number of hundredths of a square metre, 0 to 1,000,000 m²",
    )
    .check("floorAreaCentiM2", !isOwners || command.floorAreaCentiM2 > 0, "an owned unit has a floor area")
    .check(
      "role",
      isOwners === (command.role === "owner"),
      isOwners ? "must be owner" : "owner is for owners' assemblies",
    )
    .throwIfAny();
  const memberId = command.memberId.trim();
  const unitId = command.unitId.trim();
  if (council.members.some((member) => member.memberId === memberId)) {
    throw new AlreadyExistsError(
      `${memberId} already sits on council ${council.councilId}`,
      "ALREADY_A_MEMBER",
    );
  }
  if (unitId !== "" && council.members.some((member) => member.unitId === unitId)) {
    throw new AlreadyExistsError(
      `unit ${unitId} is already represented on council ${council.councilId}`,
      "UNIT_ALREADY_REPRESENTED",
    );
  }
  if (command.role === "chair" && council.members.some((member) => member.role === "chair")) {
    throw new FailedPreconditionError(`council ${council.councilId} already has a chair`, "CHAIR_TAKEN");
  }
  const taken = new Set(council.members.map((member) => member.seatNumber));
  const seatNumber = Array.from({ length: council.seatCount }, (_, index) => index + 1).find(
    (seat) => !taken.has(seat),
  );
  if (seatNumber === undefined) {
    throw new FailedPreconditionError(
      `all ${council.seatCount} seats of council ${council.councilId} are taken`,
      "NO_FREE_SEAT",
    );
  }
  return {
    type: "council.member_added",
    data: {
      councilId: council.councilId,
      memberId,
      name: command.name.trim(),
      role: command.role as MemberRole,
      unitId,
      building: command.building.trim(),
      floorAreaCentiM2: command.floorAreaCentiM2,
      seatNumber,
      joinedAt: command.at.toISOString(),
      by: command.by,
    },
  };
}

export function decideRemoveMember(memberId: string, council: Council, by: string, at: Date): CouncilEvent {
  const member = council.members.find((candidate) => candidate.memberId === memberId);
  if (!member) throw new NotFoundError(`member of council ${council.councilId}`, memberId);
  return {
    type: "council.member_removed",
    data: { councilId: council.councilId, memberId, seatNumber: member.seatNumber, by, at: at.toISOString() },
  };
}

export function requireCouncil(state: CouncilState, councilId: string): Council {
  if (state.status === "none") throw new NotFoundError("council", councilId);
  return state;
}
