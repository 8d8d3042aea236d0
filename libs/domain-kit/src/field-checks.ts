import { type FieldViolation, InvalidArgumentError } from "./errors.js";

const characters = (value: string) => [...value.trim()].length;

const identifierPattern = /^[\w-]{1,64}$/;

const aMediaUrl = "must be a public http(s) URL of at most 500 characters";

/** An id the platform hands out or accepts from callers: 1 to 64 letters, digits, - or _. */
export const isIdentifier = (value: string): boolean => identifierPattern.test(value);

/**
 * Collects the field violations of one command and throws them together, so a caller sees
 * every problem at once: `new FieldChecks().text("title", title, { max: 200 }).throwIfAny()`.
 */
export class FieldChecks {
  private readonly found: FieldViolation[] = [];

  /** Adds a violation of `field` unless `ok`. */
  check(field: string, ok: boolean, description: string): this {
    if (!ok) this.add(field, description);
    return this;
  }

  add(field: string, description: string): this {
    this.found.push({ field, description });
    return this;
  }

  /** Adds the violations another check found (e.g. of a nested value). */
  addAll(violations: readonly FieldViolation[]): this {
    this.found.push(...violations);
    return this;
  }

  /** An identifier (see `isIdentifier`); with `optional`, the empty string passes too. */
  identifier(field: string, value: string, { optional = false }: { optional?: boolean } = {}): this {
    const ok = (optional && value === "") || isIdentifier(value);
    return this.check(field, ok, "must be 1 to 64 letters, digits, - or _");
  }

  /** Text of 1 to `max` characters after trimming, or with `optional` of at most `max`. */
  text(field: string, value: string, { max, optional = false }: { max: number; optional?: boolean }): this {
    const length = characters(value);
    if (optional) return this.check(field, length <= max, `must be at most ${max} characters`);
    return this.check(field, length > 0 && length <= max, `must be 1 to ${max} characters`);
  }

  /** Text that "must not be empty" and "must be at most `max` characters" after trimming. */
  requiredText(field: string, value: string, max: number): this {
    const length = characters(value);
    if (length === 0) return this.add(field, "must not be empty");
    return this.check(field, length <= max, `must be at most ${max} characters`);
  }

  oneOf(
    field: string,
    value: string,
    allowed: readonly string[],
    description = `must be one of ${allowed.join(", ")}`,
  ): this {
    return this.check(field, allowed.includes(value), description);
  }

  /**
   * Photos and other media as links to where they are kept (the platform stores no files):
   * at most `max` public http(s) URLs of at most 500 characters each.
   */
  mediaUrls(field: string, urls: readonly string[], max: number): this {
    this.check(field, urls.length <= max, `must hold at most ${max} URLs`);
    urls.forEach((url, index) => {
      this.mediaUrl(`${field}[${index}]`, url);
    });
    return this;
  }

  /** One link as in `mediaUrls`; with `optional`, the empty string (no link) passes too. */
  mediaUrl(field: string, url: string, { optional = false }: { optional?: boolean } = {}): this {
    const trimmed = url.trim();
    return this.check(field, (optional && trimmed === "") || isMediaUrl(trimmed), aMediaUrl);
  }

  get violations(): readonly FieldViolation[] {
    return this.found;
  }

  throwIfAny(): void {
    if (this.found.length > 0) throw new InvalidArgumentError(this.found);
  }
}

function isMediaUrl(url: string): boolean {
  if (url.length === 0 || url.length > 500 || !URL.canParse(url)) return false;
  const { protocol } = new URL(url);
  return protocol === "https:" || protocol === "http:";
}
