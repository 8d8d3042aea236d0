import { InvalidArgumentError } from "./errors.js";

/**
 * Area codes follow digital city management: a district is its 6-digit administrative
 * division code (a city's ends in "00", a province's in "0000"), a street adds 3 digits, a
 * community 3 more, a grid 3 more (the 15-digit grid code) and a building 3 more. Below the
 * district a code's parent is its prefix: "440402001" (a street) belongs to "440402".
 */
export const areaLevels = ["city", "district", "street", "community", "grid", "building"] as const;
export type AreaLevel = (typeof areaLevels)[number];

const digitsAt: Record<AreaLevel, number> = {
  city: 6,
  district: 6,
  street: 9,
  community: 12,
  grid: 15,
  building: 18,
};

/** The levels that nest by prefix, from the district down. */
const prefixLevels = areaLevels.filter((level) => level !== "city");

const allDigits = /^\d*$/;

/** Whether `value` is digits only, `min` to `max` of them. */
function isDigits(value: string, min: number, max: number): boolean {
  return value.length >= min && value.length <= max && allDigits.test(value);
}

/** The level a code's length gives it: six digits ending in "00" are a city (or a province). */
function level(code: string): AreaLevel | undefined {
  if (!allDigits.test(code)) return undefined;
  if (code.length === 6) return code.endsWith("00") ? "city" : "district";
  return prefixLevels.find((candidate) => digitsAt[candidate] === code.length);
}

/** A whole code of `areaLevel` as a regular expression, for schemas that publish their patterns. */
function pattern(areaLevel: AreaLevel): RegExp {
  return new RegExp(`^\\d{${digitsAt[areaLevel]}}$`);
}

/** Whether `value` is a whole code of one of `levels` (any level when none is named). */
function is(value: string, ...levels: AreaLevel[]): boolean {
  const wanted = levels.length > 0 ? levels : areaLevels;
  return wanted.some((candidate) => isDigits(value, digitsAt[candidate], digitsAt[candidate]));
}

/** Whether `value` could start area codes: digits, `min` to `max` of them (2 to 18 unless told). */
function isPrefix(value: string, { min = 2, max = 18 }: { min?: number; max?: number } = {}): boolean {
  return isDigits(value, min, max);
}

/** The code's area at `level` (its prefix of that length), e.g. the community of a building. */
function at(code: string, areaLevel: Exclude<AreaLevel, "city">): string {
  return code.slice(0, digitsAt[areaLevel]);
}

/** The community (12 digits) a grid, building or community code belongs to. */
function communityOf(code: string): string {
  return at(code, "community");
}

/** The parent of a code at `areaLevel` (its own level unless told), or "" for a city. */
function parent(code: string, areaLevel: AreaLevel | undefined = level(code)): string {
  if (areaLevel === undefined || areaLevel === "city") return "";
  if (areaLevel === "district") return `${code.slice(0, 4)}00`;
  return code.slice(0, digitsAt[areaLevel] - 3);
}

/** The district, street, … codes above a code, top down: its prefixes at the levels above it. */
function ancestors(code: string): string[] {
  const own = level(code);
  if (own === undefined || own === "city") return [];
  return prefixLevels
    .filter((candidate) => digitsAt[candidate] < code.length)
    .map((above) => at(code, above));
}

/**
 * Every area that contains a code, top down: its province and city (which nest by their
 * zeros, not by prefix) and then its ancestors. Empty for a province and for what is no code.
 */
function enclosing(code: string): string[] {
  if (level(code) === undefined) return [];
  const divisions = [`${code.slice(0, 2)}0000`, `${code.slice(0, 4)}00`].filter(
    (division, index, all) => division !== code && all.indexOf(division) === index,
  );
  return [...divisions, ...ancestors(code)];
}

/**
 * The prefix a code stands for, for matching and for prefix queries: the six-digit codes of
 * provinces and cities end in zeros their districts do not share, so 440000 (Guangdong)
 * stands for every code starting 44, 440400 (Zhuhai) for 4404.
 */
function prefixOf(code: string): string {
  if (!isDigits(code, 6, 6)) return code;
  if (code.endsWith("0000")) return code.slice(0, 2);
  if (code.endsWith("00")) return code.slice(0, 4);
  return code;
}

/** Whether the area `scope` is `code` or contains it. */
function covers(scope: string, code: string): boolean {
  return scope !== "" && code.startsWith(prefixOf(scope));
}

/** Whether any of `scopes` (a caller's areas) covers `code`. */
function anyCovers(scopes: readonly string[], code: string): boolean {
  return scopes.some((scope) => covers(scope, code));
}

/**
 * A database filter on `field` for the area `code` and every area below it. Area codes are
 * digits, so the range [prefix, prefix + ":") holds exactly the codes starting with the
 * prefix, and an index on the field serves it (FerretDB v1 has no indexed $regex). A code
 * that is not 2 to 18 digits is an INVALID_ARGUMENT on `parameter`; "" filters nothing.
 */
function range(field: string, code: string, parameter = "areaId"): Record<string, unknown> {
  if (code === "") return {};
  if (!isPrefix(code))
    throw new InvalidArgumentError([{ field: parameter, description: "must be an area code (digits)" }]);
  const prefix = prefixOf(code);
  return { [field]: { $gte: prefix, $lt: `${prefix}:` } };
}

/** Area codes as the platform reads them; codes stay plain strings in commands, events and state. */
export const AreaCode = {
  levels: areaLevels,
  /** How many digits a code of `areaLevel` has. */
  digits: (areaLevel: AreaLevel): number => digitsAt[areaLevel],
  is,
  pattern,
  isPrefix,
  level,
  parent,
  ancestors,
  enclosing,
  at,
  communityOf,
  prefixOf,
  covers,
  anyCovers,
  range,
} as const;
