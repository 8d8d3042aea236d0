import { InvalidArgumentError } from "@civic/service-kit";

/**
 * A filter on `field` for codes in the area `prefix` and below it: area codes are digits,
 * so the range [prefix, prefix + ":") holds exactly the codes starting with it, and an
 * index on the field serves it (FerretDB v1 has no indexed $regex).
 */
export function areaRange(field: string, prefix: string): Record<string, unknown> {
  if (prefix === "") return {};
  if (!/^\d{1,18}$/.test(prefix))
    throw new InvalidArgumentError([{ field: "areaId", description: "must be an area code (digits)" }]);
  return { [field]: { $gte: prefix, $lt: `${prefix}:` } };
}
