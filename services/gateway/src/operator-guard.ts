import type { RequestHandler } from "express";
import { invalidRequest, sendProblem } from "./problem.js";

/** Where in `value` a key names a MongoDB operator (`$gt`, `$where`), as a field path. */
function operatorPath(value: unknown, path: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const field = path === "" ? key : `${path}.${key}`;
    if (key.startsWith("$") || key.includes("[$")) return field;
    const found = operatorPath(inner, field);
    if (found) return found;
  }
  return undefined;
}

/**
 * No field of the API is named like a MongoDB operator, so a query parameter or body key
 * that is one is an injection attempt: 400 before any route sees it, whatever the route
 * would have done with it.
 */
export const refuseOperatorKeys: RequestHandler = (request, response, next) => {
  const field = operatorPath(request.query, "") ?? operatorPath(request.body, "");
  if (field === undefined) return next();
  sendProblem(
    response,
    invalidRequest(request.originalUrl, [{ field, detail: "is named like a database operator" }]),
  );
};
