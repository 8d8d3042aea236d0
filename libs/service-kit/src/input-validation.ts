import type { z } from "zod";

/** A field that made a request invalid: its path (`donation.amountFen`, `types.0`) and what is wrong. */
export interface FieldProblem {
  field: string;
  detail: string;
}

/** Checks HTTP input (a query, a body) against a schema; each violation names its field. */
export function validateInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): { ok: true; value: z.infer<Schema> } | { ok: false; errors: FieldProblem[] } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const errors = result.error.issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: [...issue.path, key].join("."),
        detail: "is not a known field",
      }));
    }
    return [{ field: issue.path.join(".") || "(body)", detail: issue.message }];
  });
  return { ok: false, errors };
}
