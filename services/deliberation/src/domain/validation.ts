import { type FieldViolation, InvalidArgumentError } from "@civic/service-kit";

/** Collects field violations and throws them together, so a caller sees every problem at once. */
export class Violations {
  private readonly found: FieldViolation[] = [];

  text(field: string, value: string, max: number): this {
    const length = [...value.trim()].length;
    if (length === 0) this.found.push({ field, description: "must not be empty" });
    else if (length > max) this.found.push({ field, description: `must be at most ${max} characters` });
    return this;
  }

  optionalText(field: string, value: string, max: number): this {
    if ([...value.trim()].length > max)
      this.found.push({ field, description: `must be at most ${max} characters` });
    return this;
  }

  check(condition: boolean, field: string, description: string): this {
    if (!condition) this.found.push({ field, description });
    return this;
  }

  oneOf(field: string, value: string, allowed: readonly string[]): this {
    if (!allowed.includes(value))
      this.found.push({ field, description: `must be one of ${allowed.join(", ")}` });
    return this;
  }

  throwIfAny(): void {
    if (this.found.length > 0) throw new InvalidArgumentError(this.found);
  }
}

/** Area codes are the division codes grid-cases uses: digits, 2 to 18 of them. */
export const isAreaCode = (value: string): boolean => /^\d{2,18}$/.test(value);
