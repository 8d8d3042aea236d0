import type { DescEnum } from "@bufbuild/protobuf";

/**
 * Short names for a ts-proto enum, as the REST API and the domain layers spell them:
 * CHANNEL_HOTLINE_12345 is "hotline_12345". The zero value (`*_UNSPECIFIED`) and unknown
 * values have the name "" so that validation reports them as missing.
 */
export interface EnumNames {
  readonly names: readonly string[];
  toName(value: number): string;
  fromName(name: string): number;
}

export function enumNames(enumObject: Record<string, string | number>, prefix: string): EnumNames {
  const byName = new Map<string, number>();
  const byValue = new Map<number, string>();
  for (const [key, value] of Object.entries(enumObject)) {
    if (typeof value !== "number" || value <= 0 || !key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length).toLowerCase();
    byName.set(name, value);
    byValue.set(value, name);
  }
  return {
    names: [...byName.keys()],
    toName: (value) => byValue.get(value) ?? "",
    fromName: (name) => byName.get(name) ?? 0,
  };
}

/** `CaseStatus` → `CASE_STATUS_`: the prefix the short names leave out. */
const enumPrefix = (descEnum: DescEnum) =>
  `${descEnum.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}_`;

/** The short name of a value of an enum of the descriptor set: `CASE_STATUS_SUBMITTED` → `submitted`. */
export const shortEnumName = (descEnum: DescEnum, protoName: string) =>
  protoName.replace(enumPrefix(descEnum), "").toLowerCase();
