/**
 * A service's clock for tests: it runs with real time (so event times stay ordered) from
 * `start`, and a test moves it forward by setting `now`.
 */
export interface MovableClock {
  now: Date;
}

export function movableClock(start: Date = new Date()): { clock: MovableClock; now: () => Date } {
  const startedAt = Date.now();
  const startClock = start.getTime();
  let offset = 0;
  const now = () => new Date(startClock + offset + (Date.now() - startedAt));
  return {
    now,
    clock: {
      get now() {
        return now();
      },
      set now(next: Date) {
        offset += next.getTime() - now().getTime();
      },
    },
  };
}
