import { ConflictError } from "@civic/domain-kit";

/**
 * Retries an operation that lost a version race on a hot stream (a ballot box, a fund),
 * with random backoff so that the writers spread out. The repository already reloads and
 * decides again a few times; this covers bursts of tens of concurrent writers. A race lost
 * to a change that makes the operation refused is final: trying again would be refused too.
 */
export async function retryOnConflict<Result>(
  operation: () => Promise<Result>,
  attempts = 20,
): Promise<Result> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof ConflictError) || error.refusedNow || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 5)));
    }
  }
}
