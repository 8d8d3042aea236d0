import { createRequire } from "node:module";
import { dirname } from "node:path";
import { docsPagePath, openApiPath } from "@civic/openapi";
import express, { Router } from "express";

const swaggerUiDirectory = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Civic co-governance platform API</title>
<link rel="stylesheet" href="${docsPagePath}/assets/swagger-ui.css">
</head>
<body>
<div id="api"></div>
<script src="${docsPagePath}/assets/swagger-ui-bundle.js"></script>
<script src="${docsPagePath}/start.js"></script>
</body>
</html>
`;

// A file of its own, not an inline script, so the page works under helmet's CSP.
const startScript = `window.ui = SwaggerUIBundle({ url: "${openApiPath}", dom_id: "#api", deepLinking: true, persistAuthorization: true });\n`;

/** The OpenAPI document, and Swagger UI (served from the package, no CDN) to read and try it. */
export function openApiRoutes(document: object): Router {
  const router = Router();
  const serialised = JSON.stringify(document);
  router.get(openApiPath, (_request, response) => {
    response.type("application/json").send(serialised);
  });
  router.get(docsPagePath, (_request, response) => {
    response.type("text/html").send(docsPage);
  });
  // Assets, not API operations: mounted as middleware, so they stay out of the route table.
  router.use(`${docsPagePath}/start.js`, (_request, response) => {
    response.type("text/javascript").send(startScript);
  });
  router.use(`${docsPagePath}/assets`, express.static(swaggerUiDirectory, { index: false, maxAge: "1d" }));
  return router;
}
