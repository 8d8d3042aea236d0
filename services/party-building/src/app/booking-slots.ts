import { isDuplicateKeyError } from "@civic/event-log";
import type { Collection } from "mongodb";

/** A claimed slot of one unit of a bookable service: `_id` is its slotKey. */
export interface SlotClaim {
  _id: string;
  centreId: string;
  serviceCode: string;
  unitNo: number;
  slotStart: string;
  bookingId: string;
  claimedAt: Date;
}

/** Answers whether the claim's booking no longer needs it (cancelled, or never committed). */
export type StaleClaimCheck = (claim: SlotClaim) => Promise<boolean>;

/**
 * The slots of bookable services. Claiming one is an insert with a deterministic id: the
 * unique primary key decides concurrent bookings on MongoDB and on FerretDB alike, so two
 * bookings never share a slot. A slot held by a claim its booking no longer needs is freed
 * when someone wants it, never by a sweep: only then does it matter.
 */
export class BookingSlots {
  constructor(
    private readonly slots: Collection<SlotClaim>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async ensureIndexes(slots: Collection<SlotClaim>): Promise<void> {
    await slots.createIndex({ bookingId: 1 }, { name: "booking_id" });
  }

  /**
   * Claims every slot for the booking, or none: answers false (holding nothing) when one of
   * them is held by a booking that still needs it.
   */
  async claimAll(
    slots: Omit<SlotClaim, "bookingId" | "claimedAt">[],
    bookingId: string,
    isStale: StaleClaimCheck,
  ): Promise<boolean> {
    for (const slot of slots) {
      if (!(await this.claim({ ...slot, bookingId, claimedAt: this.now() }, isStale))) {
        await this.releaseAll(bookingId);
        return false;
      }
    }
    return true;
  }

  /** Frees every slot the booking claimed. */
  async releaseAll(bookingId: string): Promise<void> {
    await this.slots.deleteMany({ bookingId });
  }

  private async claim(claim: SlotClaim, isStale: StaleClaimCheck): Promise<boolean> {
    // A stale holder is removed and the insert tried again; a fresh holder each time means
    // others keep winning the slot, which is then as good as taken.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.slots.insertOne(claim);
        return true;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const holder = await this.slots.findOne({ _id: claim._id });
      if (holder && !(await isStale(holder))) return false;
      if (holder) await this.slots.deleteOne({ _id: holder._id, bookingId: holder.bookingId });
    }
    return false;
  }
}
