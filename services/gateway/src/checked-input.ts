import type { Request, Response } from "express";
import type { z } from "zod";
import { invalidRequest, sendProblem } from "./problem.js";
import { validate } from "./validation.js";

/** The validated input, or undefined after answering 400 with the offending fields. */
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
