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
