import { InvalidArgumentError } from "@civic/service-kit";

/**
 * An area code (or a city's 4-digit prefix) to search by: its subtree, as a range on the
 * code (no regular expression).
 */
export function areaSubtree(field: string, areaId: string): Record<string, unknown> {
  if (areaId === "") return {};
  if (!/^\d{4,15}$/.test(areaId))
    throw new InvalidArgumentError([{ field: "areaId", description: "must be an area code" }]);
  return { [field]: { $gte: areaId, $lt: `${areaId}:` } };
}
