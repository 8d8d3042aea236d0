import type { Caller } from "@civic/service-kit";
import type { Request } from "express";
import { errors, jwtVerify } from "jose";
import { z } from "zod";

/** Without a bearer token a request acts as a member of the public, who may report cases. */
export const anonymousCaller: Caller = { subject: "anonymous", roles: ["public"], areas: [] };

const claims = z.object({
  sub: z.string().min(1),
  roles: z.array(z.string()).default([]),
  areas: z.array(z.string()).default([]),
  department: z.string().optional(),
});

export class InvalidTokenError extends Error {
  override readonly name = "InvalidTokenError";
}

/**
 * Reads the caller from an HS256 JWT in `Authorization: Bearer …` (claims: sub, roles,
 * areas, department). A missing header is the anonymous caller; anything wrong with a
 * token given is an InvalidTokenError (401).
 */
export function identityFromJwt(secret: string | undefined): (request: Request) => Promise<Caller> {
  const key = secret ? new TextEncoder().encode(secret) : undefined;
  return async (request) => {
    const header = request.headers.authorization;
    if (header === undefined) return anonymousCaller;
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header)?.[1];
    if (!token) throw new InvalidTokenError("the Authorization header must be 'Bearer <JWT>'");
    if (!key) throw new InvalidTokenError("this gateway accepts no tokens: JWT_SECRET is not configured");
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"] });
      const parsed = claims.safeParse(payload);
      if (!parsed.success)
        throw new InvalidTokenError("the token's claims are not a caller (sub, roles, areas)");
      const { sub, roles, areas, department } = parsed.data;
      return { subject: sub, roles, areas, ...(department ? { department } : {}) };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidTokenError("the token has expired");
      throw new InvalidTokenError("the token is not valid");
    }
  };
}
