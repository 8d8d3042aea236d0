/** Councils (议事会, 协调委员会, 共建议事会, 业主大会): who sits on them, for which area and term. */

export const councilKinds = [
  "resident_deliberation_council",
  "community_building_coordination_committee",
  "compound_co_building_council",
  "owners_assembly",
] as const;
export type CouncilKind = (typeof councilKinds)[number];

export const memberRoles = ["chair", "member", "representative", "owner"] as const;
export type MemberRole = (typeof memberRoles)[number];

export interface CouncilMember {
  memberId: string;
  name: string;
  role: MemberRole;
  /** The unit or household the member stands for; "" for members at large. */
  unitId: string;
  building: string;
  /** Hundredths of a square metre, so that floor area stays an integer (owners' assembly). */
  floorAreaCentiM2: number;
  seatNumber: number;
  joinedAt: string;
}

export interface CouncilCreatedData {
  councilId: string;
  kind: CouncilKind;
  areaId: string;
  name: string;
  seatCount: number;
  termStart: string;
  termEnd: string;
  createdBy: string;
  createdAt: string;
}

export type CouncilEvent =
  | { type: "council.created"; data: CouncilCreatedData }
  | { type: "council.member_added"; data: CouncilMember & { councilId: string; by: string } }
  | {
      type: "council.member_removed";
      data: { councilId: string; memberId: string; seatNumber: number; by: string; at: string };
    };

export type CouncilState =
  | { status: "none" }
  | (CouncilCreatedData & { status: "constituted"; members: CouncilMember[] });
export type Council = Extract<CouncilState, { status: "constituted" }>;

export const initialCouncilState = (): CouncilState => ({ status: "none" });

export function evolveCouncil(state: CouncilState, event: CouncilEvent): CouncilState {
  switch (event.type) {
    case "council.created":
      return { ...event.data, status: "constituted", members: [] };
    case "council.member_added": {
      if (state.status !== "constituted") return state;
      const { councilId: _, by: __, ...member } = event.data;
      return { ...state, members: [...state.members, member] };
    }
    case "council.member_removed":
      if (state.status !== "constituted") return state;
      return { ...state, members: state.members.filter((member) => member.memberId !== event.data.memberId) };
  }
}

/** Seat limits of each kind: the coordination committee has 15 to 20 members [DOMAIN 3]. */
export const seatLimits: Record<CouncilKind, { min: number; max: number }> = {
  resident_deliberation_council: { min: 3, max: 200 },
  community_building_coordination_committee: { min: 15, max: 20 },
  compound_co_building_council: { min: 3, max: 200 },
  owners_assembly: { min: 1, max: 100_000 },
};

/** Who votes for what: one vote per unit where units are recorded, else per member. */
export const votingKey = (member: CouncilMember): string => member.unitId || member.memberId;
