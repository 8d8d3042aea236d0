import type { Request, RequestHandler, Response } from "express";
import type { z } from "zod";
import { invalidRequest, sendProblem } from "./problem.js";
import { validate } from "./validation.js";

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

/** The `name` path parameter (Express 5 gives string | string[] for repeated names). */
export function pathParam(request: Request, name: string): string {
  const value = request.params[name];
  return typeof value === "string" ? value : "";
}
