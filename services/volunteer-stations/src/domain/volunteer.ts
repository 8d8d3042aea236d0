import {
  AlreadyExistsError,
  type Caller,
  isPhoneNumber,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import { managesArea, requireManagesArea } from "./authority.js";
import { StationFieldChecks } from "./field-checks.js";

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** A weekly time window a volunteer can serve in, e.g. sat 09:00–12:00. */
export interface AvailabilityWindow {
  weekday: string;
  startTime: string;
  endTime: string;
}

export interface RegisteredVolunteer {
  status: "registered";
  volunteerId: string;
  name: string;
  /** Sealed with the PersonalDataProtector; never stored in the clear. */
  phoneSealed: string;
  phoneMasked: string;
  areaId: string;
  skills: string[];
  availability: AvailabilityWindow[];
  verified: boolean;
  verifiedBy: string;
  registeredAt: string;
  /** Star level reached (0 to 5) from approved service hours. */
  starLevel: number;
}

export type VolunteerState = { status: "none" } | RegisteredVolunteer;

export type VolunteerEvent =
  | {
      type: "volunteer.registered";
      data: Omit<RegisteredVolunteer, "status" | "verified" | "verifiedBy" | "registeredAt" | "starLevel"> & {
        by: string;
        at: string;
      };
    }
  | {
      type: "volunteer.profile_updated";
      data: { skills: string[]; availability: AvailabilityWindow[]; by: string; at: string };
    }
  | { type: "volunteer.verified"; data: { by: string; at: string } }
  | {
      type: "volunteer.star_level_raised";
      data: { volunteerId: string; from: number; to: number; approvedMinutes: number; at: string };
    };

export interface RegisterVolunteer {
  volunteerId: string;
  name: string;
  phone: string;
  areaId: string;
  skills: string[];
  availability: AvailabilityWindow[];
}

export const initialVolunteerState = (): VolunteerState => ({ status: "none" });

export function evolveVolunteer(state: VolunteerState, event: VolunteerEvent): VolunteerState {
  if (event.type === "volunteer.registered") {
    const { by: _by, at, ...profile } = event.data;
    return {
      status: "registered",
      ...profile,
      verified: false,
      verifiedBy: "",
      registeredAt: at,
      starLevel: 0,
    };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "volunteer.profile_updated":
      return { ...state, skills: event.data.skills, availability: event.data.availability };
    case "volunteer.verified":
      return { ...state, verified: true, verifiedBy: event.data.by };
    case "volunteer.star_level_raised":
      return { ...state, starLevel: event.data.to };
  }
}

function checkProfile(
  checks: StationFieldChecks,
  skills: string[],
  availability: AvailabilityWindow[],
): void {
  checks.check("skills", skills.length <= 20, "must name at most 20 skills");
  skills.forEach((skill, index) => {
    checks.text(`skills[${index}]`, skill, { max: 30 });
  });
  checks.check("availability", availability.length <= 21, "must have at most 21 windows");
  const time = /^([01]\d|2[0-3]):[0-5]\d$/;
  availability.forEach((window, index) => {
    checks
      .oneOf(`availability[${index}].weekday`, window.weekday, weekdays)
      .check(`availability[${index}].startTime`, time.test(window.startTime), "must be HH:MM")
      .check(
        `availability[${index}].endTime`,
        time.test(window.endTime) && window.endTime > window.startTime,
        "must be HH:MM after startTime",
      );
  });
}

const cleanSkills = (skills: string[]) => [...new Set(skills.map((skill) => skill.trim()))];

/** A person registers themselves, or area staff register them. */
export function decideRegisterVolunteer(
  command: RegisterVolunteer,
  state: VolunteerState,
  caller: Caller,
  seal: (phone: string) => string,
  mask: (phone: string) => string,
  now: Date,
): VolunteerEvent {
  const checks = new StationFieldChecks()
    .personId("volunteerId", command.volunteerId)
    .text("name", command.name, { max: 50 })
    .check("phone", isPhoneNumber(command.phone), "must be a mainland mobile or fixed-line number")
    .areaCode("areaId", command.areaId);
  checkProfile(checks, command.skills, command.availability);
  checks.throwIfAny();
  if (caller.subject !== command.volunteerId && !managesArea(caller, command.areaId))
    throw new PermissionDeniedError("volunteers register themselves, or staff of their area register them");
  if (state.status !== "none")
    throw new AlreadyExistsError(`volunteer ${command.volunteerId} already exists`);
  return {
    type: "volunteer.registered",
    data: {
      volunteerId: command.volunteerId,
      name: command.name.trim(),
      phoneSealed: seal(command.phone),
      phoneMasked: mask(command.phone),
      areaId: command.areaId,
      skills: cleanSkills(command.skills),
      availability: command.availability,
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}

export function decideUpdateProfile(
  command: { skills: string[]; availability: AvailabilityWindow[] },
  state: VolunteerState,
  volunteerId: string,
  caller: Caller,
  now: Date,
): VolunteerEvent {
  const checks = new StationFieldChecks();
  checkProfile(checks, command.skills, command.availability);
  checks.throwIfAny();
  if (state.status === "none") throw new NotFoundError("volunteer", volunteerId);
  if (caller.subject !== volunteerId && !managesArea(caller, state.areaId))
    throw new PermissionDeniedError(
      "a volunteer's profile is changed by the volunteer or staff of their area",
    );
  return {
    type: "volunteer.profile_updated",
    data: {
      skills: cleanSkills(command.skills),
      availability: command.availability,
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}

/** Staff of the volunteer's area verify their identity; verifying twice changes nothing. */
export function decideVerifyVolunteer(
  state: VolunteerState,
  volunteerId: string,
  caller: Caller,
  now: Date,
): VolunteerEvent | undefined {
  if (state.status === "none") throw new NotFoundError("volunteer", volunteerId);
  requireManagesArea(caller, state.areaId, "verifying a volunteer");
  if (state.verified) return undefined;
  return { type: "volunteer.verified", data: { by: caller.subject, at: now.toISOString() } };
}

/** Who sees a volunteer's full phone number: the volunteer and staff of their area. */
export function mayReadVolunteerPhone(state: RegisteredVolunteer, caller: Caller): boolean {
  return caller.subject === state.volunteerId || managesArea(caller, state.areaId);
}

/** A star for each threshold the approved hours passed; raised once per level, never lowered. */
export function decideRaiseStarLevel(
  state: VolunteerState,
  level: number,
  approvedMinutes: number,
  now: Date,
): VolunteerEvent | undefined {
  if (state.status === "none" || level <= state.starLevel) return undefined;
  return {
    type: "volunteer.star_level_raised",
    data: {
      volunteerId: state.volunteerId,
      from: state.starLevel,
      to: level,
      approvedMinutes,
      at: now.toISOString(),
    },
  };
}
