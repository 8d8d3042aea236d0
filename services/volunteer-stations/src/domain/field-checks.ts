import { AreaCode, FieldChecks } from "@civic/domain-kit";

/** The platform's field checks plus the ids volunteer stations name: codes, areas, people. */
export class StationFieldChecks extends FieldChecks {
  code(field: string, value: string): this {
    return this.check(
      field,
      /^[a-z0-9][a-z0-9-]{1,63}$/.test(value),
      "must be a lowercase code of 2 to 64 letters, digits and dashes",
    );
  }

  areaCode(field: string, value: string): this {
    return this.check(field, AreaCode.isPrefix(value, { min: 6 }), "must be an area code of 6 to 18 digits");
  }

  personId(field: string, value: string, { optional = false } = {}): this {
    if (optional && value === "") return this;
    return this.check(
      field,
      /^[\w.@:-]{1,128}$/.test(value),
      "must be a person's id (letters, digits, . _ @ : -)",
    );
  }
}
