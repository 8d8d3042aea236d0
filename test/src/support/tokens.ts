import { SignJWT } from "jose";
import { testJwtSecret } from "./platform.js";

/** A bearer token for the test gateway, as an identity provider would issue it. */
export async function bearer(
  subject: string,
  claims: { roles: string[]; areas?: string[]; department?: string },
) {
  const token = await new SignJWT({
    roles: claims.roles,
    areas: claims.areas ?? [],
    department: claims.department,
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(testJwtSecret));
  return `Bearer ${token}`;
}
