import { createHmac } from "node:crypto";
import { testJwtSecret } from "./platform.js";

const base64url = (json: object) => Buffer.from(JSON.stringify(json)).toString("base64url");

/**
 * A bearer token for the test gateway, as an identity provider would issue it: an HS256 JWT valid
 * for an hour. Signed synchronously, so that a test file can name its callers where it declares them,
 * before its platform starts and its slowest tests run.
 */
export function bearer(subject: string, claims: { roles: string[]; areas?: string[]; department?: string }) {
  const issuedAt = Math.floor(Date.now() / 1000);
  const payload = {
    roles: claims.roles,
    areas: claims.areas ?? [],
    department: claims.department,
    sub: subject,
    iat: issuedAt,
    exp: issuedAt + 3_600,
  };
  const signedPart = `${base64url({ alg: "HS256" })}.${base64url(payload)}`;
  const signature = createHmac("sha256", testJwtSecret).update(signedPart).digest("base64url");
  return `Bearer ${signedPart}.${signature}`;
}
