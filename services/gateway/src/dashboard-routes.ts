import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { dashboardPagePath } from "@civic/openapi";
import express, { Router } from "express";
import { contentSecurityPolicy } from "helmet";

// The same two levels up from src/ (tests, from source) and dist/ (built, bundled).
const staticDirectory = fileURLToPath(new URL("../dashboard-page/static/", import.meta.url));
const scriptDirectory = fileURLToPath(new URL("../dist/dashboard-page/", import.meta.url));
// The page's import map names the domain kit's compiled modules (area codes, China time).
const domainKitPackage = createRequire(import.meta.url).resolve("@civic/domain-kit/package.json");
const domainKitDirectory = join(dirname(domainKitPackage), "dist");

/**
 * The operations dashboard (docs/dashboard.md): a static page whose scripts, compiled from
 * dashboard-page/src by `pnpm build`, call the public API with the user's bearer token.
 * The page and its assets need no token; every figure on it does. Helmet's policy allows
 * the page's one inline script, its import map, by its hash.
 */
export function dashboardRoutes(): Router {
  const router = Router();
  const page = readFileSync(`${staticDirectory}index.html`, "utf8");
  const importMap = /<script type="importmap">([^<]*)<\/script>/.exec(page)?.[1] ?? "";
  const importMapHash = `'sha256-${createHash("sha256").update(importMap).digest("base64")}'`;
  const pagePolicy = contentSecurityPolicy({ directives: { "script-src": ["'self'", importMapHash] } });
  router.get(dashboardPagePath, pagePolicy, (_request, response) => {
    response.type("html").send(page);
  });
  // Assets, not API operations: mounted as middleware, so they stay out of the route table.
  const assets = `${dashboardPagePath}/assets`;
  router.use(`${assets}/domain-kit`, express.static(domainKitDirectory, { index: false }));
  router.use(assets, express.static(staticDirectory, { index: false }));
  router.use(assets, express.static(scriptDirectory, { index: false, extensions: ["js"] }));
  return router;
}
