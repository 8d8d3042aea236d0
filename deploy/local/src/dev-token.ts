import { SignJWT } from "jose";

/** The HS256 secret `pnpm start` gives the gateway unless JWT_SECRET is set. Local use only. */
export const localJwtSecret = process.env.JWT_SECRET ?? "local-development-secret-do-not-use-in-production";

export interface DevCaller {
  subject: string;
  roles: string[];
  areas?: string[];
  department?: string;
}

/** A bearer token the local gateway accepts, valid for 12 hours. */
export function devToken(caller: DevCaller): Promise<string> {
  return new SignJWT({ roles: caller.roles, areas: caller.areas ?? [], department: caller.department })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(caller.subject)
    .setIssuedAt()
    .setExpirationTime("12h")
    .sign(new TextEncoder().encode(localJwtSecret));
}
