import type { Caller } from "@civic/service-kit";
import type { Request, RequestHandler } from "express";
import {
  createRemoteJWKSet,
  errors,
  importSPKI,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
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
  constructor(
    message: string,
    /** Where the token came from: Open311 answers a bad `api_key` with 403, as its spec says. */
    readonly source: "authorization" | "api_key" = "authorization",
  ) {
    super(message);
  }
}

/**
 * Where bearer tokens' signatures are checked against. HS256 with a shared secret is for
 * local use; production verifies asymmetric signatures (RS256, ES256, EdDSA …) with a PEM
 * public key or the identity provider's JWKS.
 */
export interface TokenVerification {
  hs256Secret?: string | undefined;
  /** SPKI PEM public key, with the algorithm it signs with. */
  publicKey?: { pem: string; algorithm: string } | undefined;
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

/** The signature algorithms of production tokens (JWT_ALGORITHM for a PEM key; any of them from a JWKS). */
export const asymmetricAlgorithms = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "EdDSA",
] as const;

type VerifyToken = (token: string) => Promise<JWTPayload>;

function tokenVerifier(verification: TokenVerification): VerifyToken | undefined {
  const claimChecks = {
    ...(verification.issuer ? { issuer: verification.issuer } : {}),
    ...(verification.audience ? { audience: verification.audience } : {}),
  };
  if (verification.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(verification.jwksUrl));
    return async (token) =>
      (await jwtVerify(token, keys, { algorithms: [...asymmetricAlgorithms], ...claimChecks })).payload;
  }
  if (verification.publicKey) {
    const { pem, algorithm } = verification.publicKey;
    const key = importSPKI(pem, algorithm);
    return async (token) =>
      (await jwtVerify(token, await key, { algorithms: [algorithm], ...claimChecks })).payload;
  }
  if (verification.hs256Secret) {
    const key = new TextEncoder().encode(verification.hs256Secret);
    return async (token) => (await jwtVerify(token, key, { algorithms: ["HS256"], ...claimChecks })).payload;
  }
  return undefined;
}

/**
 * Reads the caller from a JWT in `Authorization: Bearer …` (claims: sub, roles, areas,
 * department), or, without that header, from the token `apiKeyOf` finds in the request
 * (Open311 clients send it as the `api_key` parameter). No token is the anonymous caller;
 * anything wrong with a token given is an InvalidTokenError (401).
 */
export function identityFromJwt(
  verification: TokenVerification,
  apiKeyOf: (request: Request) => string | undefined = () => undefined,
): (request: Request) => Promise<Caller> {
  const verify = tokenVerifier(verification);
  return async (request) => {
    const header = request.headers.authorization;
    const apiKey = header === undefined ? apiKeyOf(request) : undefined;
    if (header === undefined && apiKey === undefined) return anonymousCaller;
    const token =
      apiKey === undefined
        ? /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header ?? "")?.[1]
        : /^[\w-]+\.[\w-]+\.[\w-]+$/.exec(apiKey)?.[0];
    const source = apiKey === undefined ? "authorization" : "api_key";
    const refuse = (message: string) => new InvalidTokenError(message, source);
    if (!token) {
      throw refuse(
        apiKey === undefined
          ? "the Authorization header must be 'Bearer <JWT>'"
          : "api_key must be a token (a JWT) the platform issued",
      );
    }
    if (!verify) throw refuse("this gateway accepts no tokens: no key to verify them is configured");
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw refuse("the token has expired");
      if (error instanceof errors.JWTClaimValidationFailed)
        throw refuse(`the token's "${error.claim}" claim is not accepted`);
      throw refuse("the token is not valid");
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) throw refuse("the token's claims are not a caller (sub, roles, areas)");
    const { sub, roles, areas, department } = parsed.data;
    return { subject: sub, roles, areas, ...(department ? { department } : {}) };
  };
}

const callers = new WeakMap<Request, Caller>();

/** Identifies every request once, before limits and routes; a bad token is a 401 here. */
export function identifyCaller(identify: (request: Request) => Promise<Caller>): RequestHandler {
  return async (request, _response, next) => {
    callers.set(request, await identify(request));
    next();
  };
}

/** The caller `identifyCaller` found for this request. */
export function callerOf(request: Request): Caller {
  return callers.get(request) ?? anonymousCaller;
}
