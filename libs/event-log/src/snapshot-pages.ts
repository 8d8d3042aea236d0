import { callReadOptions, InvalidArgumentError } from "@civic/service-kit";
import type { Collection, Filter } from "mongodb";
import type { Snapshot } from "./snapshot-store.js";

export interface PageRequest {
  /** 1 to 200; 0 means the default of 50. */
  pageSize: number;
  /** The id after which the page starts: the previous page's nextPageToken. */
  pageToken: string;
}

/** Which snapshots a query wants: MongoDB's query language over `state.<field>` and `_id`. */
export type SnapshotFilter = Record<string, unknown>;

export interface Page<State> {
  items: Snapshot<State>[];
  /** "" on the last page. */
  nextPageToken: string;
}

/**
 * A page of snapshots in id order (keyset pagination: stable under inserts, one indexed
 * range read per page however deep the page is). Within a call the read stops at its deadline.
 */
export async function pageOfSnapshots<State>(
  snapshots: Collection<Snapshot<State>>,
  filter: SnapshotFilter,
  { pageSize, pageToken }: PageRequest,
): Promise<Page<State>> {
  if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > 200) {
    throw new InvalidArgumentError([
      { field: "pageSize", description: "must be 1 to 200 (0 for the default 50)" },
    ]);
  }
  if (pageToken.length > 200)
    throw new InvalidArgumentError([{ field: "pageToken", description: "is not a page token" }]);
  const size = pageSize || 50;
  const range = pageToken ? { _id: { $gt: pageToken } } : {};
  const found = await snapshots
    .find({ ...filter, ...range } as Filter<Snapshot<State>>, callReadOptions())
    .sort({ _id: 1 })
    .limit(size + 1)
    .toArray();
  const items = found.slice(0, size) as Snapshot<State>[];
  return { items, nextPageToken: found.length > size ? (items.at(-1)?._id ?? "") : "" };
}
