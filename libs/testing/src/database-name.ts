import { randomBytes } from "node:crypto";

/** A database name unique to this call, valid on MongoDB and FerretDB (≤ 63 characters). */
export function uniqueDatabaseName(prefix: string): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 40);
  return `${clean}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
}
