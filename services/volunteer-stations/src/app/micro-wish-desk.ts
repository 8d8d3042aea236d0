import { AreaCode, type Caller, FailedPreconditionError, NotFoundError } from "@civic/domain-kit";
import {
  type AggregateRepository,
  isDuplicateKeyError,
  type PageRequest,
  pageOfSnapshots,
} from "@civic/event-log";
import type { Collection } from "mongodb";
import { requireMayList } from "../domain/authority.js";
import {
  decideClaimWish,
  decideConfirmWish,
  decideFulfilWish,
  decidePostWish,
  type MicroWishEvent,
  type MicroWishState,
  type PostWish,
  requireClaimerRole,
} from "../domain/micro-wish.js";

/** Who holds a wish: `_id` is the wish id, so a wish is held by one claimer only. */
export interface WishClaim {
  _id: string;
  claimerId: string;
  claimerKind: string;
  claimedAt: Date;
}

export type MicroWishView = MicroWishState & { version: number };

export interface WishStatistics {
  /** A community (12-digit code) and its counts; claimed counts every wish claimed so far. */
  areaId: string;
  posted: number;
  claimed: number;
  fulfilled: number;
  confirmed: number;
  confirmedValueFen: number;
}

/** Micro-wishes: posted by residents, claimed once, fulfilled with proof, confirmed by the resident. */
export class MicroWishDesk {
  constructor(
    private readonly wishes: AggregateRepository<MicroWishState, MicroWishEvent>,
    private readonly claims: Collection<WishClaim>,
    private readonly maxValueFen: number,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async post(command: Omit<PostWish, "wishId">, caller: Caller): Promise<MicroWishView> {
    const wishId = this.newId();
    const { state, version } = await this.wishes.create(wishId, () =>
      decidePostWish({ ...command, wishId }, this.maxValueFen, caller, this.now()),
    );
    return { ...state, version };
  }

  /**
   * The first claimer's insert of the claim document wins; everyone else is told the wish
   * is held. Claiming a wish one already holds changes nothing.
   */
  async claim(wishId: string, claimerKind: string, caller: Caller): Promise<MicroWishView> {
    const kind = requireClaimerRole(claimerKind, caller);
    const loaded = await this.wishes.load(wishId);
    // Refuse early (unknown, held by someone else, one's own wish) before taking the key.
    decideClaimWish(loaded.state, wishId, kind, caller, this.now());
    try {
      await this.claims.insertOne({
        _id: wishId,
        claimerId: caller.subject,
        claimerKind: kind,
        claimedAt: this.now(),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const holder = await this.claims.findOne({ _id: wishId });
      if (holder?.claimerId !== caller.subject)
        throw new FailedPreconditionError(`micro-wish ${wishId} is already claimed`, "WISH_CLAIMED");
    }
    try {
      const { state, version } = await this.wishes.execute(wishId, (current) =>
        decideClaimWish(current, wishId, kind, caller, this.now()),
      );
      return { ...state, version };
    } catch (error) {
      await this.claims.deleteOne({ _id: wishId, claimerId: caller.subject });
      throw error;
    }
  }

  async fulfil(wishId: string, proof: string, caller: Caller): Promise<MicroWishView> {
    const { state, version } = await this.wishes.execute(wishId, (current) =>
      decideFulfilWish(current, wishId, proof, caller, this.now()),
    );
    return { ...state, version };
  }

  async confirm(wishId: string, caller: Caller): Promise<MicroWishView> {
    const { state, version } = await this.wishes.execute(wishId, (current) =>
      decideConfirmWish(current, wishId, caller, this.now()),
    );
    return { ...state, version };
  }

  /** Anyone may read a wish: it is posted to be claimed. */
  async get(wishId: string): Promise<MicroWishView> {
    const { state, version } = await this.wishes.load(wishId);
    if (state.status === "none") throw new NotFoundError("micro-wish", wishId);
    return { ...state, version };
  }

  /** Wishes in an area and below it, for claimers to browse (anyone). */
  async list(areaPrefix: string, page: PageRequest) {
    const filter = AreaCode.range("state.areaId", areaPrefix);
    const found = await pageOfSnapshots(this.wishes.snapshots, filter, page);
    return {
      wishes: found.items.map((snapshot) => ({ ...snapshot.state, version: snapshot.version })),
      nextPageToken: found.nextPageToken,
    };
  }

  /** Posted, claimed, fulfilled and confirmed wishes per community in an area (staff of it). */
  async statistics(areaPrefix: string, caller: Caller): Promise<WishStatistics[]> {
    requireMayList(caller, areaPrefix);
    const filter = AreaCode.range("state.areaId", areaPrefix);
    const wishes = await this.wishes.snapshots.find(filter, { projection: { state: 1 } }).toArray();
    const byCommunity = new Map<string, WishStatistics>();
    for (const { state } of wishes) {
      const areaId = AreaCode.communityOf(state.areaId);
      const row = byCommunity.get(areaId) ?? {
        areaId,
        posted: 0,
        claimed: 0,
        fulfilled: 0,
        confirmed: 0,
        confirmedValueFen: 0,
      };
      row.posted++;
      if (["claimed", "fulfilled", "confirmed"].includes(state.status)) row.claimed++;
      if (["fulfilled", "confirmed"].includes(state.status)) row.fulfilled++;
      if (state.status === "confirmed") {
        row.confirmed++;
        row.confirmedValueFen += state.valueFen;
      }
      byCommunity.set(areaId, row);
    }
    return [...byCommunity.values()].sort((a, b) => a.areaId.localeCompare(b.areaId));
  }
}
