import { AlreadyExistsError, type Caller, NotFoundError } from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import {
  type AdmitMember,
  type AdmittedMember,
  decideAdmit,
  decideConfirm,
  decideRecordCommunityService,
  decideRegisterWithCommunity,
  decideTransfer,
  type MemberEvent,
  type MemberState,
  validateAdmission,
} from "../domain/member.js";
import type { FoundedOrganisation, OrganisationEvent, OrganisationState } from "../domain/organisation.js";
import { partyRoles, requireOrganiserOf, requireRoleIn } from "../domain/party-roles.js";

export interface MemberView extends AdmittedMember {
  version: number;
}

export interface MemberCounts {
  formal: number;
  probationary: number;
}

/** Use cases of party membership: admission, standing, transfers, community registration and service. */
export class MemberDesk {
  constructor(
    private readonly members: AggregateRepository<MemberState, MemberEvent>,
    private readonly organisations: AggregateRepository<OrganisationState, OrganisationEvent>,
    private readonly pointsByKind: ReadonlyMap<string, number>,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async admit(command: AdmitMember, caller: Caller): Promise<MemberView> {
    validateAdmission(command);
    const organisation = await this.organisation(command.organisationId);
    requireOrganiserOf(caller, organisation.areaId);
    try {
      const { state, version } = await this.members.create(command.memberId, () =>
        decideAdmit(command, organisation, caller, this.now()),
      );
      return toView(state, version, command.memberId);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      throw new AlreadyExistsError(
        `member ${command.memberId} is already admitted to an organisation; transfer them instead`,
        "MEMBER_ALREADY_ADMITTED",
      );
    }
  }

  async get(memberId: string, caller: Caller): Promise<MemberView> {
    const { state, version } = await this.members.load(memberId);
    const member = toView(state, version, memberId);
    if (caller.subject !== memberId) requireOrganiserOf(caller, member.areaId);
    return member;
  }

  async list(organisationId: string, page: PageRequest, caller: Caller) {
    const organisation = await this.organisation(organisationId);
    requireOrganiserOf(caller, organisation.areaId);
    const found = await pageOfSnapshots(
      this.members.snapshots,
      { "state.organisationId": organisationId },
      page,
    );
    return {
      members: found.items.map((snapshot) => toView(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }

  async confirm(memberId: string, caller: Caller): Promise<MemberView> {
    return this.change(memberId, undefined, (member) => {
      requireOrganiserOf(caller, member.areaId);
      return decideConfirm(member, caller, this.now());
    });
  }

  /** The member's current organisation's organisers transfer them out. */
  async transfer(
    memberId: string,
    toOrganisationId: string,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<MemberView> {
    const target = await this.organisation(toOrganisationId);
    return this.change(memberId, expectedVersion, (member) => {
      requireOrganiserOf(caller, member.areaId);
      return decideTransfer(member, target, caller, this.now());
    });
  }

  /** The member themself, or the organisers of the community they register with. */
  async registerWithCommunity(
    memberId: string,
    communityAreaId: string,
    caller: Caller,
  ): Promise<MemberView> {
    return this.change(memberId, undefined, (member) => {
      if (caller.subject !== memberId) requireOrganiserOf(caller, communityAreaId);
      return decideRegisterWithCommunity(communityAreaId, member, caller, this.now());
    });
  }

  /** The community's staff or party organisers record what the member did there. */
  async recordCommunityService(
    memberId: string,
    service: { kind: string; note: string },
    caller: Caller,
  ): Promise<{ member: MemberView; points: number }> {
    let points = 0;
    const member = await this.change(memberId, undefined, (current) => {
      const event = decideRecordCommunityService(
        { serviceId: this.newId(), ...service },
        current,
        this.pointsByKind,
        caller,
        this.now(),
      );
      requireRoleIn(
        caller,
        [partyRoles.partyOrganiser, partyRoles.communityStaff],
        current.communityRegistration?.communityAreaId ?? "",
      );
      if (event.type === "member.community_service_recorded") points = event.data.points;
      return event;
    });
    return { member, points };
  }

  serviceKinds(): { kind: string; points: number }[] {
    return [...this.pointsByKind].map(([kind, points]) => ({ kind, points }));
  }

  /** Members of the given organisations by standing. */
  async countIn(organisationIds: string[]): Promise<MemberCounts> {
    const count = (standing: string) =>
      this.members.snapshots.countDocuments({
        "state.organisationId": { $in: organisationIds },
        "state.standing": standing,
      });
    const [formal, probationary] = await Promise.all([count("formal"), count("probationary")]);
    return { formal, probationary };
  }

  private async change(
    memberId: string,
    expectedVersion: number | undefined,
    decide: (member: AdmittedMember) => MemberEvent | undefined,
  ): Promise<MemberView> {
    const { state, version } = await this.members.execute(
      memberId,
      (current) => decide(admitted(current, memberId)),
      expectedVersion,
    );
    return toView(state, version, memberId);
  }

  private async organisation(organisationId: string): Promise<FoundedOrganisation> {
    const { state } = await this.organisations.load(organisationId);
    if (state.status === "none") throw new NotFoundError("organisation", organisationId);
    return state;
  }
}

function admitted(state: MemberState, memberId: string): AdmittedMember {
  if (state.status === "none") throw new NotFoundError("member", memberId);
  return state;
}

function toView(state: MemberState, version: number, memberId: string): MemberView {
  return { ...admitted(state, memberId), version };
}
