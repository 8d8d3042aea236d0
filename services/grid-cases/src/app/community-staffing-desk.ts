import {
  AreaCode,
  type Caller,
  chinaDate,
  hasAnyRole,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  roles,
} from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import type { AreaEvent, AreaState } from "../domain/area.js";
import {
  activeWorkers,
  assessStaffing,
  type CommunityStaffing,
  type CommunityStaffingEvent,
  type CommunityStaffingState,
  decideReassessment,
  decideStaffingChange,
  defaultCommunityProfile,
  type StaffingAssessment,
  type StaffingCommand,
  type StaffingThresholds,
  workerQuota,
} from "../domain/community-staffing.js";

/** Who keeps and reads communities' staff: the command centre, and street and community staff in their areas. */
const administrators = [roles.platformAdmin, roles.commandCentre];
const areaStaff = [roles.streetStaff, roles.communityStaff];

export interface CommunityStaffingView {
  communityId: string;
  staffing: CommunityStaffing;
  assessment: StaffingAssessment;
}

/**
 * Community staffing and its standards: workers and profile per community, assessed against
 * the thresholds at every change (of staff, profile, or the area's figures); an assessment
 * whose broken standards differ from the last one is stored as an event.
 */
export class CommunityStaffingDesk {
  constructor(
    private readonly staffing: AggregateRepository<CommunityStaffingState, CommunityStaffingEvent>,
    private readonly areas: AggregateRepository<AreaState, AreaEvent>,
    private readonly thresholds: StaffingThresholds,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async change(
    communityId: string,
    command: StaffingCommand,
    caller: Caller,
  ): Promise<CommunityStaffingView> {
    this.authorise(caller, communityId);
    await this.community(communityId);
    await this.staffing.execute(communityId, (current) =>
      decideStaffingChange(current, communityId, command, caller, this.now()),
    );
    return this.reassess(communityId);
  }

  /** Reassesses a community whose figures changed; nothing when its staffing is not kept. */
  async figuresChanged(areaId: string): Promise<void> {
    if (!AreaCode.is(areaId, "community")) return;
    const { state } = await this.staffing.load(areaId);
    if (state.status === "kept") await this.reassess(areaId);
  }

  async get(communityId: string, caller: Caller): Promise<CommunityStaffingView> {
    this.authorise(caller, communityId);
    const { state } = await this.staffing.load(communityId);
    if (state.status === "none") throw new NotFoundError("staffing of community", communityId);
    return this.view(state, await this.community(communityId));
  }

  /** A street's communities summed: residents per community on average, workers, quotas. */
  async street(streetId: string, caller: Caller) {
    if (!AreaCode.is(streetId, "street"))
      throw new InvalidArgumentError([
        { field: "streetId", description: "must be a street code (9 digits)" },
      ]);
    this.authorise(caller, streetId);
    const kept = await this.staffing.snapshots
      .find(AreaCode.range("state.communityId", streetId, "streetId") as never)
      .toArray();
    const views = await Promise.all(
      kept.flatMap(({ state }) =>
        state.status === "kept"
          ? [this.community(state.communityId).then((area) => this.view(state, area))]
          : [],
      ),
    );
    const sum = (pick: (view: CommunityStaffingView) => number) =>
      views.reduce((total, view) => total + pick(view), 0);
    const assessment = assessStaffing(
      {
        residents: sum((view) => view.assessment.residents),
        households: sum((view) => view.assessment.households),
        workers: sum((view) => view.assessment.workers),
      },
      sum((view) => view.assessment.quota),
      this.thresholds,
      Math.max(1, views.length),
    );
    return {
      streetId,
      communities: views.length,
      flaggedCommunities: views.filter((view) => view.assessment.breaches.length > 0).length,
      assessment,
    };
  }

  /** Communities of `areaId` (and below) flagged at their last assessment, a page at a time. */
  async flagged(areaId: string, page: PageRequest, caller: Caller) {
    if (areaId !== "") this.authorise(caller, areaId);
    else if (!hasAnyRole(caller, administrators))
      throw new PermissionDeniedError("flagged communities of every area are for the command centre");
    const found = await pageOfSnapshots(
      this.staffing.snapshots,
      { ...AreaCode.range("state.communityId", areaId), "state.flagged": true },
      page,
    );
    const views = await Promise.all(
      found.items.flatMap(({ state }) =>
        state.status === "kept"
          ? [this.community(state.communityId).then((area) => this.view(state, area))]
          : [],
      ),
    );
    return { communities: views, nextPageToken: found.nextPageToken };
  }

  private async reassess(communityId: string): Promise<CommunityStaffingView> {
    const area = await this.community(communityId);
    const { state } = await this.staffing.execute(communityId, (current) => {
      if (current.status === "none") return undefined;
      return decideReassessment(current, communityId, this.view(current, area).assessment, this.now());
    });
    if (state.status === "none") throw new NotFoundError("staffing of community", communityId);
    return this.view(state, area);
  }

  private view(
    staffing: CommunityStaffing,
    area: { population: number; households: number },
  ): CommunityStaffingView {
    const figures = {
      residents: area.population,
      households: area.households,
      workers: activeWorkers(staffing.workers, chinaDate(this.now())).length,
    };
    const quota = workerQuota(figures, staffing.profile ?? defaultCommunityProfile, this.thresholds);
    return {
      communityId: staffing.communityId,
      staffing,
      assessment: assessStaffing(figures, quota, this.thresholds),
    };
  }

  private async community(communityId: string) {
    if (!AreaCode.is(communityId, "community")) {
      throw new InvalidArgumentError([
        { field: "communityId", description: "must be a community code (12 digits)" },
      ]);
    }
    const { state } = await this.areas.load(communityId);
    if (state.status === "none") throw new NotFoundError("community", communityId);
    return state;
  }

  private authorise(caller: Caller, areaId: string): void {
    if (hasAnyRole(caller, administrators)) return;
    if (hasAnyRole(caller, areaStaff) && AreaCode.anyCovers(caller.areas, areaId)) return;
    throw new PermissionDeniedError(
      `community staffing of ${areaId} is kept by ${administrators.join(", ")} and the street and community staff of the area`,
    );
  }
}
