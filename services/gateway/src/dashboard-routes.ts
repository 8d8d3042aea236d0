import { fileURLToPath } from "node:url";
import { dashboardPagePath } from "@civic/openapi";
import express, { Router } from "express";

// The same two levels up from src/ (tests, from source) and dist/ (built, bundled).
const staticDirectory = fileURLToPath(new URL("../dashboard-page/static/", import.meta.url));
const scriptDirectory = fileURLToPath(new URL("../dist/dashboard-page/", import.meta.url));

/**
 * The operations dashboard (docs/dashboard.md): a static page whose scripts, compiled from
 * dashboard-page/src by `pnpm build`, call the public API with the user's bearer token.
 * The page and its assets need no token; every figure on it does.
 */
export function dashboardRoutes(): Router {
  const router = Router();
  router.get(dashboardPagePath, (_request, response) => {
    response.sendFile("index.html", { root: staticDirectory });
  });
  // Assets, not API operations: mounted as middleware, so they stay out of the route table.
  const assets = `${dashboardPagePath}/assets`;
  router.use(assets, express.static(staticDirectory, { index: false }));
  router.use(assets, express.static(scriptDirectory, { index: false, extensions: ["js"] }));
  return router;
}
