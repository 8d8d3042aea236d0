import type { Request, Response } from "express";
import type { z } from "zod";
import { invalidRequest, sendProblem } from "../../problem.js";
import { validate } from "../../validation.js";

/** The validated input, or undefined after answering 400 with the field problems. */
export function checked<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  request: Request,
  response: Response,
): z.infer<Schema> | undefined {
  const result = validate(schema, input);
  if (!result.ok) sendProblem(response, invalidRequest(request.originalUrl, result.errors));
  return result.ok ? result.value : undefined;
}

/** The message a service answered with; a missing one is a server fault. */
export function present<Value>(value: Value | undefined, what: string): Value {
  if (value === undefined) throw new Error(`the deliberation service answered without ${what}`);
  return value;
}

export const names = (values: readonly string[]) => values as [string, ...string[]];
export const iso = (date: Date | undefined) => date?.toISOString() ?? null;
