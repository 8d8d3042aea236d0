import { afterAll, beforeAll, inject } from "vitest";

// What libs/testing's global setup provides (declared there too, for the test files it compiles with).
declare module "vitest" {
  export interface ProvidedContext {
    mongoUri: string;
    natsUrl: string;
  }
}

/**
 * Starts a platform, on the test run's NATS and database, before the tests of the enclosing
 * `describe` block, and stops it after them. Call the returned function inside tests and hooks
 * (the block's own `beforeAll` hooks run after the start) to reach the platform.
 */
export function platformForTheseTests<Platform extends { stop(): Promise<void> }>(
  start: (mongoUri: string, natsUrl: string) => Promise<Platform>,
): () => Platform {
  let started: Platform | undefined;
  beforeAll(async () => {
    started = await start(inject("mongoUri"), inject("natsUrl"));
  });
  afterAll(() => started?.stop());
  return () => {
    if (!started) throw new Error("the platform starts before the tests: reach it inside a test or hook");
    return started;
  };
}
