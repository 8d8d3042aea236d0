import type { Request, RequestHandler, Response } from "express";
import { z } from "zod";
import { type FieldProblem, invalidRequest, sendProblem } from "./problem.js";

/** Checks request input against a schema; violations name the offending fields. */
export function validate<Schema extends z.ZodType>(
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

/** An ISO 8601 instant with its offset (Z or ±hh:mm), as a Date. */
export const isoInstant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

/** A comma-separated query parameter, each item checked by `item`, at most `max` of them. */
export const commaList = (item: z.ZodType<string, string>, max: number) =>
  z
    .string()
    .max(4000)
    .transform((text) =>
      text
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part !== ""),
    )
    .pipe(z.array(item).max(max));

/**
 * A route whose body (or query) must fit `schema`: a misfit is a 400 problem naming the
 * fields and never reaches a service.
 */
export function validatedRoute<Schema extends z.ZodType>(
  source: "body" | "query",
  schema: Schema,
  handle: (input: z.infer<Schema>, request: Request, response: Response) => Promise<void>,
): RequestHandler {
  return async (request, response) => {
    const result = validate(schema, source === "body" ? (request.body ?? {}) : request.query);
    if (!result.ok) return sendProblem(response, invalidRequest(request.originalUrl, result.errors));
    await handle(result.value, request, response);
  };
}
