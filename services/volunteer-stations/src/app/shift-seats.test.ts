import { uniqueDatabaseName } from "@civic/testing";
import { type Db, MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type SeatClaim, ShiftSeats } from "./shift-seats.js";

// Two ShiftSeats on one collection stand for two replicas of the service: each keeps its
// own hint, only the unique key is shared.
describe("shift seats against the real database", () => {
  let mongo: MongoClient;
  let db: Db;

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(uniqueDatabaseName("seats"));
    await ShiftSeats.ensureIndexes(db.collection<SeatClaim>("shift_seats"));
  });
  afterAll(async () => {
    await db.dropDatabase();
    await mongo.close();
  });

  it("80 concurrent claims on two replicas for 10 seats: exactly 10 distinct seats, one look per replica", async () => {
    const replicas = [0, 1].map(() => new ShiftSeats(db.collection<SeatClaim>("shift_seats")));
    const claims = await Promise.all(
      Array.from({ length: 80 }, (_, index) =>
        (replicas[index % 2] as ShiftSeats).claim("storm-1", 10, `sign-up-${index}`, 1),
      ),
    );
    const seats = claims.filter((seat) => seat !== undefined);
    expect(seats.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await (replicas[0] as ShiftSeats).takenSeatNumbers("storm-1")).toHaveLength(10);
    expect(replicas.map((replica) => replica.lookCount)).toEqual([1, 1]);
  });

  it("a seat released on another replica is seen by the next look, and taken once", async () => {
    const [first, second] = [0, 1].map(() => new ShiftSeats(db.collection<SeatClaim>("shift_seats"))) as [
      ShiftSeats,
      ShiftSeats,
    ];
    for (let index = 0; index < 3; index++)
      expect(await first.claim("small-1", 3, `a-${index}`, 1)).toBe(index + 1);
    expect(await first.claim("small-1", 3, "a-late", 1)).toBeUndefined();
    expect(await second.claim("small-1", 3, "b-late", 1)).toBeUndefined();
    await second.release("small-1", 2, "someone-else", 1); // not the holder: nothing happens
    expect(await first.freeSeatsAfter("small-1", 3, Date.now())).toBe(false);
    await second.release("small-1", 2, "a-1", 2); // not this round: nothing happens
    expect(await first.freeSeatsAfter("small-1", 3, Date.now())).toBe(false);
    await second.release("small-1", 2, "a-1", 1);
    // The releasing replica knows at once; the other one after a fresh look.
    expect(await first.claim("small-1", 3, "a-again", 1)).toBeUndefined();
    expect(await first.freeSeatsAfter("small-1", 3, Date.now())).toBe(true);
    const both = await Promise.all([
      first.claim("small-1", 3, "a-again", 1),
      second.claim("small-1", 3, "b-again", 1),
    ]);
    expect(both.filter((seat) => seat !== undefined)).toEqual([2]);
  });
});
