import { accessSync, constants } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/**
 * The Chromium binary the browser tests drive: `CHROMIUM_PATH`, or Debian's chromium package,
 * which `pnpm run setup` (libs/testing/scripts/install-tools.sh) installs when it is missing.
 */
export function chromiumExecutable(): string {
  const path = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `no Chromium at ${path}: run 'pnpm run setup' (installs Debian's chromium) or set CHROMIUM_PATH`,
    );
  }
  return path;
}

/** Headless Chromium through playwright-core (no browser download of Playwright's own). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    // Root in CI containers has no user namespaces for Chromium's sandbox.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}
