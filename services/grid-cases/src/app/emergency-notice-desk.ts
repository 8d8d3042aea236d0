import {
  AreaCode,
  type Caller,
  FieldChecks,
  InvalidArgumentError,
  isIdentifier,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import type { AggregateRepository, HotAggregates } from "@civic/event-log";
import {
  type BroadcastCommand,
  type BroadcastNotice,
  type CheckInCommand,
  type CheckInCounts,
  checkBroadcast,
  checkBroadcaster,
  checkCheckIn,
  checkCheckInCaller,
  countsOf,
  decideBroadcast,
  decideCheckIn,
  type EmergencyNoticeEvent,
  type EmergencyNoticeState,
  mayFollowCommunity,
  type NoticeCommunity,
  type NoticeTallyEvent,
  type NoticeTallyState,
  noSuchHousehold,
  tallyId,
} from "../domain/emergency-notice.js";
import type { AreaDesk, AreaView } from "./area-desk.js";

export interface NoticeView extends Omit<BroadcastNotice, "status" | "communities"> {
  communities: (CheckInCounts & { communityId: string })[];
}

const maxUnansweredPage = 500;

/**
 * Use cases of emergency notices: a broadcast is one event of the notice; each check-in is
 * the next version of its community's tally, so one household answers once however many
 * requests race (the loser finds the answer there), and each check-in event carries the
 * community's counts after it.
 */
export class EmergencyNoticeDesk {
  constructor(
    private readonly notices: AggregateRepository<EmergencyNoticeState, EmergencyNoticeEvent>,
    private readonly tallies: AggregateRepository<NoticeTallyState, NoticeTallyEvent>,
    private readonly hotTallies: HotAggregates<NoticeTallyState, NoticeTallyEvent>,
    private readonly areas: Pick<AreaDesk, "get" | "listChildren">,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async broadcast(command: BroadcastCommand, caller: Caller): Promise<NoticeView> {
    checkBroadcast(command);
    checkBroadcaster(caller, command.communityIds);
    const communities: NoticeCommunity[] = [];
    const unknown = new FieldChecks();
    for (const [index, communityId] of command.communityIds.entries()) {
      const community = await this.areas.get(communityId).catch(() => undefined);
      if (community?.level !== "community") {
        unknown.add(`communityIds[${index}]`, `${communityId} is no community`);
        continue;
      }
      const buildings = await this.buildingsOf(communityId);
      communities.push({
        communityId,
        households: buildings.reduce((sum, building) => sum + building.households, 0),
      });
    }
    unknown.throwIfAny();
    const noticeId = this.newId();
    const { state } = await this.notices.create(noticeId, (initial) =>
      decideBroadcast({ ...command, noticeId, communities }, initial, caller, this.now()),
    );
    return this.view(state as BroadcastNotice, caller);
  }

  async get(noticeId: string, caller: Caller): Promise<NoticeView> {
    const notice = await this.notice(noticeId);
    if (!notice.communities.some(({ communityId }) => mayFollowCommunity(caller, communityId)))
      throw new PermissionDeniedError(`notice ${noticeId} went to no community of the caller's areas`);
    return this.view(notice, caller);
  }

  async checkIn(
    noticeId: string,
    command: CheckInCommand,
    caller: Caller,
  ): Promise<{ recorded: boolean; counts: CheckInCounts & { communityId: string } }> {
    const { buildingId, number } = checkCheckIn(command);
    const notice = await this.notice(noticeId);
    const communityId = AreaCode.communityOf(buildingId);
    const community = notice.communities.find((candidate) => candidate.communityId === communityId);
    if (!community) throw noSuchHousehold(command.householdId);
    checkCheckInCaller(caller, buildingId);
    const building = await this.areas.get(buildingId).catch(() => undefined);
    if (building?.level !== "building" || number > building.households)
      throw noSuchHousehold(command.householdId);
    const { state } = await this.hotTallies.execute(tallyId(noticeId, communityId), (tally) =>
      decideCheckIn(
        { ...command, noticeId, communityId, households: community.households },
        tally,
        caller,
        this.now(),
      ),
    );
    return { recorded: true, counts: { communityId, ...countsOf(state, community.households) } };
  }

  async listUnanswered(
    noticeId: string,
    communityId: string,
    page: { pageSize: number; pageToken: string },
    caller: Caller,
  ): Promise<{ householdIds: string[]; nextPageToken: string }> {
    const offset = page.pageToken === "" ? 0 : Number(page.pageToken);
    const size = page.pageSize || 100;
    new FieldChecks()
      .check(
        "pageSize",
        Number.isInteger(size) && size >= 1 && size <= maxUnansweredPage,
        `must be 1 to ${maxUnansweredPage} (0 for 100)`,
      )
      .check("pageToken", Number.isSafeInteger(offset) && offset >= 0, "is not a page token")
      .throwIfAny();
    const notice = await this.notice(noticeId);
    if (!notice.communities.some((community) => community.communityId === communityId))
      throw new NotFoundError(`community of notice ${noticeId}`, communityId);
    if (!mayFollowCommunity(caller, communityId))
      throw new PermissionDeniedError(`community ${communityId} is outside the caller's areas`);
    const { state: tally } = await this.tallies.load(tallyId(noticeId, communityId));
    const unanswered = (await this.buildingsOf(communityId)).flatMap((building) =>
      Array.from({ length: building.households }, (_, index) => `${building.areaId}-${index + 1}`).filter(
        (householdId) => tally.answers[householdId] === undefined,
      ),
    );
    const householdIds = unanswered.slice(offset, offset + size);
    const next = offset + size;
    return { householdIds, nextPageToken: next < unanswered.length ? String(next) : "" };
  }

  private async notice(noticeId: string): Promise<BroadcastNotice> {
    if (!isIdentifier(noticeId))
      throw new InvalidArgumentError([{ field: "noticeId", description: "is not a notice id" }]);
    const { state } = await this.notices.load(noticeId);
    if (state.status === "none") throw new NotFoundError("emergency notice", noticeId);
    return state;
  }

  /** The counts of each of the notice's communities the caller may follow. */
  private async view(notice: BroadcastNotice, caller: Caller): Promise<NoticeView> {
    const { status: _status, communities, ...rest } = notice;
    const followed = communities.filter(({ communityId }) => mayFollowCommunity(caller, communityId));
    const counts = [];
    for (const { communityId, households } of followed) {
      const { state } = await this.tallies.load(tallyId(notice.noticeId, communityId));
      counts.push({ communityId, ...countsOf(state, households) });
    }
    return { ...rest, communities: counts };
  }

  /** The buildings under a community's grids, in code order. */
  private async buildingsOf(communityId: string): Promise<AreaView[]> {
    const children = async (parentId: string) => {
      const all: AreaView[] = [];
      let pageToken = "";
      do {
        const page = await this.areas.listChildren(parentId, { pageSize: 200, pageToken });
        all.push(...page.areas);
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
      return all;
    };
    const buildings: AreaView[] = [];
    for (const grid of await children(communityId)) {
      if (grid.level === "grid") buildings.push(...(await children(grid.areaId)));
    }
    return buildings
      .filter((area) => area.level === "building")
      .sort((a, b) => a.areaId.localeCompare(b.areaId));
  }
}
