import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The key that seals residents' personal data in the local platform: made once and kept
 * beside the data it protects, so a restart can still open what was stored.
 */
export function localPersonalDataKey(dataDir: string): string {
  const path = join(dataDir, "personal-data.key");
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  return readFileSync(path, "utf8").trim();
}
