import { isDuplicateKeyError } from "@civic/event-log";
import type { Collection } from "mongodb";

const maxLooks = 50;
const triesPerLook = 3;

/** A taken seat: `_id` is "<shiftId>#<seat number>", so a seat can be taken once. */
export interface SeatClaim {
  _id: string;
  shiftId: string;
  seatNo: number;
  signUpId: string;
  round: number;
  claimedAt: Date;
}

/**
 * The seats of each shift, numbered 1 to its capacity. Taking one is an insert with a
 * deterministic id: the unique primary key decides concurrent sign-ups on MongoDB and on
 * FerretDB alike, so a shift can never hold more people than it has seats.
 */
export class ShiftSeats {
  constructor(
    private readonly seats: Collection<SeatClaim>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async ensureIndexes(seats: Collection<SeatClaim>): Promise<void> {
    await seats.createIndex({ shiftId: 1, seatNo: 1 }, { name: "shift_seat" });
  }

  /** Takes a free seat for the sign-up, or answers undefined when every seat is taken. */
  async claim(
    shiftId: string,
    capacity: number,
    signUpId: string,
    round: number,
  ): Promise<number | undefined> {
    // A few tries per look at the taken seats: under a storm of sign-ups a fresh look
    // is cheaper than inserting into every seat a stale look thought free.
    for (let look = 0; look < maxLooks; look++) {
      const taken = new Set(await this.takenSeatNumbers(shiftId));
      const free = Array.from({ length: capacity }, (_, index) => index + 1).filter(
        (seat) => !taken.has(seat),
      );
      if (free.length === 0) return undefined;
      for (const seatNo of shuffled(free).slice(0, triesPerLook)) {
        try {
          await this.seats.insertOne({
            _id: `${shiftId}#${seatNo}`,
            shiftId,
            seatNo,
            signUpId,
            round,
            claimedAt: this.now(),
          });
          return seatNo;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
    }
    return undefined;
  }

  /** Frees a seat, only if this sign-up (in this round) holds it. */
  async release(shiftId: string, seatNo: number, signUpId: string): Promise<void> {
    await this.seats.deleteOne({ _id: `${shiftId}#${seatNo}`, signUpId });
  }

  async takenSeatNumbers(shiftId: string): Promise<number[]> {
    const claims = await this.seats.find({ shiftId }, { projection: { seatNo: 1 } }).toArray();
    return claims.map((claim) => claim.seatNo);
  }
}

// Concurrent sign-ups start at different seats instead of all racing for seat 1.
function shuffled<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}
