import { isDuplicateKeyError } from "@civic/event-log";
import type { Collection } from "mongodb";

/** A taken seat: `_id` is "<shiftId>#<seat number>", so a seat can be taken once. */
export interface SeatClaim {
  _id: string;
  shiftId: string;
  seatNo: number;
  signUpId: string;
  round: number;
  claimedAt: Date;
}

/** What this process believes about one shift's seats: a hint, never the truth. */
interface SeatHint {
  /** Seat numbers believed free, lowest first; a claimer takes one before inserting it. */
  candidates: number[];
  /** Seats a claimer here took from the candidates and is inserting now. */
  inserting: Set<number>;
  /** When each seat taken here was inserted (Date.now()), until a later look saw it. */
  insertedAt: Map<number, number>;
  /** The running look at the taken seats, shared by every caller that may use it. */
  look?: { startedAt: number; done: Promise<void> };
}

/**
 * The seats of each shift, numbered 1 to its capacity. Taking one is an insert with a
 * deterministic id: the unique primary key decides concurrent sign-ups on MongoDB and on
 * FerretDB alike, so a shift can never hold more people than it has seats.
 *
 * To keep a sign-up to one insert, each process keeps a hint per shift: the seats it
 * believes free. Concurrent callers in one process take different candidates, so they do
 * not race for the same seat; a candidate another replica took meanwhile only costs one
 * refused insert. The hint comes from one look at the taken seats (one query per shift,
 * shared by all concurrent callers), and seats released here go back into it.
 */
export class ShiftSeats {
  private readonly hints = new Map<string, SeatHint>();
  private looks = 0;

  constructor(
    private readonly seats: Collection<SeatClaim>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async ensureIndexes(seats: Collection<SeatClaim>): Promise<void> {
    await seats.createIndex({ shiftId: 1, seatNo: 1 }, { name: "shift_seat" });
  }

  /** How many times this process read a shift's taken seats (the benchmark reports it). */
  get lookCount(): number {
    return this.looks;
  }

  /**
   * Takes a free seat for the sign-up, or answers undefined when every seat looked taken.
   * "Looked taken" may be a little stale when another replica released a seat: callers
   * that put someone on the waitlist confirm it with `freeSeatsAfter`.
   */
  async claim(
    shiftId: string,
    capacity: number,
    signUpId: string,
    round: number,
  ): Promise<number | undefined> {
    let hint = this.hints.get(shiftId);
    if (!hint) {
      hint = newHint();
      this.hints.set(shiftId, hint);
      await this.look(shiftId, capacity, hint, Date.now());
    } else if (hint.look && hint.candidates.length === 0) await hint.look.done;
    for (;;) {
      const seatNo = hint.candidates.shift();
      if (seatNo === undefined || seatNo > capacity) return undefined;
      hint.inserting.add(seatNo);
      try {
        await this.seats.insertOne({
          _id: `${shiftId}#${seatNo}`,
          shiftId,
          seatNo,
          signUpId,
          round,
          claimedAt: this.now(),
        });
        hint.insertedAt.set(seatNo, Date.now());
        return seatNo;
      } catch (error) {
        if (!isDuplicateKeyError(error)) {
          hint.candidates.unshift(seatNo);
          throw error;
        }
      } finally {
        hint.inserting.delete(seatNo);
      }
    }
  }

  /**
   * Looks at the taken seats again (no earlier than `since`, a time from `Date.now()`):
   * answers whether a seat is free. Concurrent callers share one look.
   */
  async freeSeatsAfter(shiftId: string, capacity: number, since: number): Promise<boolean> {
    let hint = this.hints.get(shiftId);
    if (!hint) {
      hint = newHint();
      this.hints.set(shiftId, hint);
    }
    while (hint.look && hint.look.startedAt < since) await hint.look.done.catch(() => undefined);
    if (hint.look) await hint.look.done;
    else await this.look(shiftId, capacity, hint, Date.now());
    return hint.candidates.some((seatNo) => seatNo <= capacity);
  }

  /** Frees a seat, only if this sign-up (in this round) holds it. */
  async release(shiftId: string, seatNo: number, signUpId: string, round: number): Promise<void> {
    const deleted = await this.seats.deleteOne({ _id: `${shiftId}#${seatNo}`, signUpId, round });
    const hint = this.hints.get(shiftId);
    if (deleted.deletedCount > 0 && hint && !hint.candidates.includes(seatNo)) {
      hint.candidates.push(seatNo);
      hint.candidates.sort((a, b) => a - b);
    }
  }

  /** The claims on a shift's seats taken before `before` (on the service's clock). */
  claimsTakenBefore(shiftId: string, before: Date): Promise<SeatClaim[]> {
    return this.seats.find({ shiftId, claimedAt: { $lt: before } }).toArray();
  }

  async takenSeatNumbers(shiftId: string): Promise<number[]> {
    const claims = await this.seats.find({ shiftId }, { projection: { seatNo: 1 } }).toArray();
    return claims.map((claim) => claim.seatNo);
  }

  private look(shiftId: string, capacity: number, hint: SeatHint, startedAt: number): Promise<void> {
    const done = (async () => {
      this.looks++;
      const readFrom = Date.now();
      const taken = new Set(await this.takenSeatNumbers(shiftId));
      // Seats being inserted here, or inserted after the read began, are taken too.
      for (const seatNo of hint.inserting) taken.add(seatNo);
      for (const [seatNo, at] of hint.insertedAt) {
        if (at >= readFrom) taken.add(seatNo);
        else hint.insertedAt.delete(seatNo);
      }
      hint.candidates = Array.from({ length: capacity }, (_, index) => index + 1).filter(
        (seatNo) => !taken.has(seatNo),
      );
    })().finally(() => {
      if (hint.look?.done === done) delete hint.look;
    });
    hint.look = { startedAt, done };
    return done;
  }
}

const newHint = (): SeatHint => ({ candidates: [], inserting: new Set(), insertedAt: new Map() });
