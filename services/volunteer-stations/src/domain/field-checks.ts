import { type FieldViolation, InvalidArgumentError } from "@civic/service-kit";

/** Collects field violations of one command and throws them together. */
export class FieldChecks {
  private readonly violations: FieldViolation[] = [];

  code(field: string, value: string): this {
    if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(value))
      this.add(field, "must be a lowercase code of 2 to 64 letters, digits and dashes");
    return this;
  }

  areaCode(field: string, value: string): this {
    if (!/^\d{6,18}$/.test(value)) this.add(field, "must be an area code of 6 to 18 digits");
    return this;
  }

  text(field: string, value: string, { max, optional = false }: { max: number; optional?: boolean }): this {
    const length = [...value.trim()].length;
    if ((!optional && length === 0) || length > max)
      this.add(field, optional ? `must be at most ${max} characters` : `must be 1 to ${max} characters`);
    return this;
  }

  oneOf(field: string, value: string, allowed: readonly string[]): this {
    if (!allowed.includes(value)) this.add(field, `must be one of ${allowed.join(", ")}`);
    return this;
  }

  personId(field: string, value: string, { optional = false } = {}): this {
    if (optional && value === "") return this;
    if (!/^[\w.@:-]{1,128}$/.test(value))
      this.add(field, "must be a person's id (letters, digits, . _ @ : -)");
    return this;
  }

  check(field: string, ok: boolean, description: string): this {
    if (!ok) this.add(field, description);
    return this;
  }

  add(field: string, description: string): this {
    this.violations.push({ field, description });
    return this;
  }

  throwIfAny(): void {
    if (this.violations.length > 0) throw new InvalidArgumentError(this.violations);
  }
}
