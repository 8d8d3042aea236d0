import type { AreaDirectory } from "@civic/area-replica";
import { AreaCode, type Caller, InvalidArgumentError, NotFoundError } from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import type { MemberEvent, MemberState } from "../domain/member.js";
import type { OrganisationEvent, OrganisationState } from "../domain/organisation.js";
import { communityKeepers, requireRoleIn } from "../domain/party-roles.js";
import { type RedCommitteeCoverage, redCommitteeCoverage } from "../domain/red-committee-coverage.js";
import {
  type CommitteeDeparture,
  type CommitteeMemberInput,
  type CompoundEvent,
  type CompoundState,
  decideAddCommitteeMember,
  decideAssignPartyBranch,
  decideCommitteeDeparture,
  decideDissolveCommittee,
  decideFormCommittee,
  decideRegisterCompound,
  type FormCommittee,
  isTermExpired,
  type OwnersCommittee,
  type PartyOrganisations,
  type RegisterCompound,
  type ResidentialCompound,
  validateCommittee,
  validateCompound,
  validateDeparture,
  validateMember,
  withCoverageChange,
} from "../domain/residential-compound.js";

export type CompoundView = Omit<ResidentialCompound, "ownersCommittee"> & {
  ownersCommittee: (OwnersCommittee & { termExpired: boolean }) | null;
  version: number;
};

/** Use cases of red owners' committees: compounds, their committees and branches, coverage. */
export class CompoundDesk {
  constructor(
    private readonly compounds: AggregateRepository<CompoundState, CompoundEvent>,
    private readonly organisations: AggregateRepository<OrganisationState, OrganisationEvent>,
    private readonly members: AggregateRepository<MemberState, MemberEvent>,
    private readonly areas: Pick<AreaDirectory, "get">,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async register(command: RegisterCompound, caller: Caller): Promise<CompoundView> {
    validateCompound(command);
    requireRoleIn(caller, communityKeepers, command.communityAreaId);
    const area = await this.areas.get(command.communityAreaId);
    const { state, version } = await this.compounds.create(command.compoundId, (initial) =>
      decideRegisterCompound(command, initial, area?.level === "community", caller.subject, this.now()),
    );
    return view(state, version, command.compoundId, this.now());
  }

  async get(compoundId: string, caller: Caller): Promise<CompoundView> {
    const { state, version } = await this.compounds.load(compoundId);
    const compound = view(state, version, compoundId, this.now());
    requireRoleIn(caller, communityKeepers, compound.communityAreaId);
    return compound;
  }

  /** Compounds of a community or of an area above it, in id order. */
  async list(areaId: string, page: PageRequest, caller: Caller) {
    requireAreaPrefix(areaId);
    requireRoleIn(caller, communityKeepers, areaId);
    const found = await pageOfSnapshots(this.compounds.snapshots, inArea(areaId), page);
    const now = this.now();
    return {
      compounds: found.items.map((item) => view(item.state, item.version, item._id, now)),
      nextPageToken: found.nextPageToken,
    };
  }

  async assignPartyBranch(
    compoundId: string,
    organisationId: string,
    secretaryMemberId: string,
    caller: Caller,
  ): Promise<CompoundView> {
    const compound = await this.get(compoundId, caller);
    const { state: branch } = await this.organisations.load(organisationId);
    if (branch.status === "none") throw new NotFoundError("party organisation", organisationId);
    let secretary: { memberId: string; organisationId: string } | null = null;
    if (secretaryMemberId !== "") {
      const { state: member } = await this.members.load(secretaryMemberId);
      if (member.status === "none") throw new NotFoundError("party member", secretaryMemberId);
      secretary = { memberId: member.memberId, organisationId: member.organisationId };
    }
    return this.change(compound.compoundId, (current) =>
      decideAssignPartyBranch(current, branch, secretary, caller.subject, this.now()),
    );
  }

  async formCommittee(compoundId: string, command: FormCommittee, caller: Caller): Promise<CompoundView> {
    validateCommittee(command);
    await this.get(compoundId, caller);
    const organisations = await this.partyOrganisationsOf(command.members);
    return this.change(compoundId, (current) =>
      decideFormCommittee(command, current, organisations, caller.subject, this.now()),
    );
  }

  async addCommitteeMember(
    compoundId: string,
    member: CommitteeMemberInput,
    caller: Caller,
  ): Promise<CompoundView> {
    validateMember(member);
    await this.get(compoundId, caller);
    const organisations = await this.partyOrganisationsOf([member]);
    return this.change(compoundId, (current) =>
      decideAddCommitteeMember(member, current, organisations, caller.subject, this.now()),
    );
  }

  async recordDeparture(
    compoundId: string,
    personId: string,
    departure: CommitteeDeparture,
    caller: Caller,
  ): Promise<CompoundView> {
    validateDeparture(personId, departure);
    await this.get(compoundId, caller);
    return this.change(compoundId, (current) =>
      decideCommitteeDeparture(current, personId, departure, caller.subject, this.now()),
    );
  }

  async dissolveCommittee(
    compoundId: string,
    endedOn: string,
    reason: string,
    caller: Caller,
  ): Promise<CompoundView> {
    await this.get(compoundId, caller);
    return this.change(compoundId, (current) =>
      decideDissolveCommittee(current, endedOn, reason, caller.subject, this.now()),
    );
  }

  /**
   * Coverage of a community or an area above it. It reads the area's compound snapshots
   * (a registry, not a history: a district has a few thousand compounds at most).
   */
  async coverage(areaId: string, caller: Caller): Promise<RedCommitteeCoverage> {
    requireAreaPrefix(areaId);
    requireRoleIn(caller, communityKeepers, areaId);
    const found = await this.compounds.snapshots.find(inArea(areaId)).toArray();
    return redCommitteeCoverage(
      areaId,
      found.map((item) => item.state as ResidentialCompound),
      this.now(),
    );
  }

  private async change(
    compoundId: string,
    decide: (compound: ResidentialCompound) => CompoundEvent | undefined,
  ): Promise<CompoundView> {
    const { state, version } = await this.compounds.execute(compoundId, (current) => {
      const compound = registered(current, compoundId);
      const event = decide(compound);
      return event && withCoverageChange(compound, event);
    });
    return view(state, version, compoundId, this.now());
  }

  /** Each named party member must be on the roll; answers their organisations. */
  private async partyOrganisationsOf(members: CommitteeMemberInput[]): Promise<PartyOrganisations> {
    const organisations = new Map<string, string>();
    for (const { partyMemberId } of members) {
      if (partyMemberId === "" || organisations.has(partyMemberId)) continue;
      const { state } = await this.members.load(partyMemberId);
      if (state.status === "none") throw new NotFoundError("party member", partyMemberId);
      organisations.set(partyMemberId, state.organisationId);
    }
    return organisations;
  }
}

function requireAreaPrefix(areaId: string): void {
  if (!AreaCode.is(areaId, "district", "street", "community"))
    throw new InvalidArgumentError([
      { field: "areaId", description: "must be a district, street or community code" },
    ]);
}

const inArea = (areaId: string) => ({
  "state.status": "registered",
  ...AreaCode.range("state.communityAreaId", areaId),
});

function registered(state: CompoundState, compoundId: string): ResidentialCompound {
  if (state.status === "none") throw new NotFoundError("residential compound", compoundId);
  return state;
}

/** termExpired is derived at read time, by the service's clock. */
function view(state: CompoundState, version: number, compoundId: string, now: Date): CompoundView {
  const compound = registered(state, compoundId);
  const committee = compound.ownersCommittee;
  return {
    ...compound,
    ownersCommittee: committee ? { ...committee, termExpired: isTermExpired(committee, now) } : null,
    version,
  };
}
