/**
 * Streams are named "<aggregate kind>-<aggregate id>", e.g. "case-0193...". The kind
 * selects the repository that can rebuild the stream's snapshot.
 */
export function streamId(kind: string, aggregateId: string): string {
  return `${kind}-${aggregateId}`;
}

export function streamKind(stream: string): string {
  const dash = stream.indexOf("-");
  return dash < 0 ? stream : stream.slice(0, dash);
}

export function aggregateIdOf(stream: string): string {
  const dash = stream.indexOf("-");
  return dash < 0 ? "" : stream.slice(dash + 1);
}

/** Aggregate kinds are lowercase words: they must not contain the separator. */
export function assertAggregateKind(kind: string): void {
  if (!/^[a-z][a-z0-9_]*$/.test(kind)) throw new Error(`aggregate kind "${kind}" must match [a-z][a-z0-9_]*`);
}
