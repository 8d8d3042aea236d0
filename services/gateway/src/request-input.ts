import type { Request, Response } from "express";
import type { z } from "zod";
import { invalidRequest, sendProblem } from "./problem.js";
import { validate } from "./validation.js";

/**
 * Validates request input against a schema; on failure it answers 400 problem+json naming
 * the fields and returns undefined, so a route just returns.
 */
export function checkedInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  request: Request,
  response: Response,
): z.infer<Schema> | undefined {
  const result = validate(schema, input);
  if (!result.ok) sendProblem(response, invalidRequest(request.originalUrl, result.errors));
  return result.ok ? result.value : undefined;
}
