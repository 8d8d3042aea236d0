/**
 * A client that retries a write as a real one would under faults: with the same
 * Idempotency-Key, on 5xx, on 409 "still running" (with Retry-After) and on broken connections.
 */

export interface Attempt {
  key: string;
  /** The 2xx answer, when one came. */
  acknowledged?: { status: number; body: Record<string, unknown> };
  /** Every answer on the way: status, or the connection error. */
  answers: string[];
}

export const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * POSTs until an answer settles the outcome: 2xx (acknowledged), a 4xx other than 409
 * "still running" (refused), or a replayed 504 (the outcome stays unknown); retries the rest
 * for up to `retryForMs`.
 */
export async function postUntilSettled(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  key: string,
  retryForMs: number,
): Promise<Attempt> {
  const attempt: Attempt = { key, answers: [] };
  const giveUpAt = Date.now() + retryForMs;
  while (Date.now() < giveUpAt) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": key, ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      attempt.answers.push(String(response.status));
      if (response.status >= 200 && response.status < 300) {
        attempt.acknowledged = { status: response.status, body: JSON.parse(text) };
        return attempt;
      }
      const replayed = response.headers.get("idempotent-replayed") === "true";
      if (response.status === 504 && replayed) return attempt;
      const retry =
        response.status >= 500 || (response.status === 409 && response.headers.has("retry-after"));
      if (!retry) return attempt;
    } catch (error) {
      attempt.answers.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
    await pause(150 + Math.random() * 150);
  }
  return attempt;
}

/** How the attempts ended, for the test's log: `{"acknowledged": 40, "unsettled (last 400)": 2}, 5 retried`. */
export function outcomeOf(attempts: Attempt[]): string {
  const counts = new Map<string, number>();
  for (const attempt of attempts) {
    const last = attempt.acknowledged ? "acknowledged" : `unsettled (last ${attempt.answers.at(-1)})`;
    counts.set(last, (counts.get(last) ?? 0) + 1);
  }
  const retried = attempts.filter((attempt) => attempt.answers.length > 1).length;
  return `${JSON.stringify(Object.fromEntries(counts))}, ${retried} retried`;
}
