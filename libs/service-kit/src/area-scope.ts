import { InvalidArgumentError } from "./errors.js";

/**
 * Area codes nest by prefix below the district (440402 → 440402001 → 440402001002), but the
 * six-digit codes of provinces and cities end in zeros their districts do not share:
 * 440000 (Guangdong) stands for every code starting 44, 440400 (Zhuhai) for 4404.
 * The prefix a code stands for, for matching and for prefix queries.
 */
export function areaPrefixOf(areaId: string): string {
  if (!/^\d{6}$/.test(areaId)) return areaId;
  if (areaId.endsWith("0000")) return areaId.slice(0, 2);
  if (areaId.endsWith("00")) return areaId.slice(0, 4);
  return areaId;
}

/** Whether the area `scope` is `areaId` or contains it. */
export function areaCovers(scope: string, areaId: string): boolean {
  return scope !== "" && areaId.startsWith(areaPrefixOf(scope));
}

/** Whether any of a caller's areas covers `areaId`. */
export function anyAreaCovers(scopes: readonly string[], areaId: string): boolean {
  return scopes.some((scope) => areaCovers(scope, areaId));
}

/**
 * A database filter on `field` for the area `areaId` and every area below it. Area codes
 * are digits, so the range [prefix, prefix + ":") holds exactly the codes starting with the
 * prefix, and an index on the field serves it (FerretDB v1 has no indexed $regex). A code
 * that is not digits is an INVALID_ARGUMENT on `parameter`.
 */
export function areaCodeRange(field: string, areaId: string, parameter = "areaId"): Record<string, unknown> {
  if (areaId === "") return {};
  if (!/^\d{2,18}$/.test(areaId))
    throw new InvalidArgumentError([{ field: parameter, description: "must be an area code (digits)" }]);
  const prefix = areaPrefixOf(areaId);
  return { [field]: { $gte: prefix, $lt: `${prefix}:` } };
}
