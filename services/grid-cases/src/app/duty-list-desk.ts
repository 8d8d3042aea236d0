import {
  AreaCode,
  type Caller,
  ConflictError,
  FieldChecks,
  isDomainError,
  NotFoundError,
} from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import {
  applicableDutyList,
  checkDutyListArea,
  type DutyItem,
  type DutyListEvent,
  type DutyListState,
  decidePublishDutyList,
  dutyListAreasOf,
  dutyListId,
  type PublishedDutyList,
  requireDutyListPublisher,
} from "../domain/duty-list.js";
import type { AreaDesk } from "./area-desk.js";
import type { CaseCategoryDesk } from "./case-category-desk.js";

/**
 * Use cases of community duty lists: publish the next version of an area's list, read one
 * version, and find the list that applies to a community (its own, else its street's, else
 * its district's newest).
 */
export class DutyListDesk {
  constructor(
    private readonly lists: AggregateRepository<DutyListState, DutyListEvent>,
    private readonly categories: Pick<CaseCategoryDesk, "current">,
    private readonly registry: Pick<AreaDesk, "exists">,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Publishes the version after `baseVersion` of an area's list. Of concurrent changes from
   * the same version one is stored (the unique key of `<area>.<version>`), the others are a
   * conflict, as is a change from a version that is no longer the newest.
   */
  async publish(
    areaId: string,
    baseVersion: number,
    items: DutyItem[],
    caller: Caller,
  ): Promise<PublishedDutyList> {
    checkDutyListArea(new FieldChecks(), "areaId", areaId)
      .check(
        "baseVersion",
        Number.isSafeInteger(baseVersion) && baseVersion >= 0,
        "must be the version the change starts from (0 before any)",
      )
      .throwIfAny();
    requireDutyListPublisher(caller, areaId);
    if (!(await this.registry.exists(areaId))) throw new NotFoundError("area", areaId);
    const newest = (await this.newest(areaId))?.version ?? 0;
    if (baseVersion !== newest) {
      throw new ConflictError(
        `the duty list of ${areaId} changed: version ${newest} is current, the change starts from ${baseVersion}`,
        { currentVersion: newest },
      );
    }
    const catalogue = await this.categories.current();
    const version = baseVersion + 1;
    try {
      const { state } = await this.lists.create(dutyListId(areaId, version), (initial) =>
        decidePublishDutyList(initial, {
          areaId,
          version,
          items,
          isCategory: (code) => catalogue.find(code) !== undefined,
          by: caller.subject,
          at: this.now(),
        }),
      );
      return state as PublishedDutyList;
    } catch (error) {
      if (!isDomainError(error) || error.kind !== "already_exists") throw error;
      throw new ConflictError(
        `version ${version} of the duty list of ${areaId} was published by another change first`,
        {
          currentVersion: version,
        },
      );
    }
  }

  /** One version of an area's own list; the newest when `version` is 0. */
  async get(areaId: string, version: number): Promise<PublishedDutyList> {
    checkDutyListArea(new FieldChecks(), "areaId", areaId)
      .check("version", Number.isSafeInteger(version) && version >= 0, "must be a version number (0 or more)")
      .throwIfAny();
    const found = version === 0 ? await this.newest(areaId) : await this.publishedVersion(areaId, version);
    if (!found) throw new NotFoundError(`duty list of ${areaId}, version`, String(version || "newest"));
    return found;
  }

  /** The list that applies to a community now; undefined when none of its areas has one. */
  async applicableTo(communityId: string): Promise<PublishedDutyList | undefined> {
    return applicableDutyList(
      await Promise.all(dutyListAreasOf(communityId).map((area) => this.newest(area))),
    );
  }

  /** The list that applies to a community now; NOT_FOUND when none of its areas has one. */
  async applicableOrFail(communityId: string): Promise<PublishedDutyList> {
    new FieldChecks()
      .check("communityId", AreaCode.is(communityId, "community"), "must be a community code (12 digits)")
      .throwIfAny();
    const list = await this.applicableTo(communityId);
    if (!list) throw new NotFoundError("duty list applying to community", communityId);
    return list;
  }

  private async newest(areaId: string): Promise<PublishedDutyList | undefined> {
    const [newest] = await this.lists.snapshots
      .find({ "state.areaId": areaId } as never)
      .sort({ "state.version": -1 })
      .limit(1)
      .toArray();
    return newest?.state.status === "published" ? newest.state : undefined;
  }

  private async publishedVersion(areaId: string, version: number): Promise<PublishedDutyList | undefined> {
    const { state } = await this.lists.load(dutyListId(areaId, version));
    return state.status === "published" ? state : undefined;
  }
}
