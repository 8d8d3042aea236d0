import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { httpCatalogue } from "@civic/contracts";
import { buildOpenApiDocument } from "./document.js";

export { dashboardPagePath, docsPagePath, openApiPath } from "./document.js";
export { fieldByJsonKey, gatewayJsonOf, protoJsonOf } from "./rest-json.js";

/** Where `pnpm generate` writes the document (`generate.ts`): committed beside this package's sources. */
export const openApiDocumentPath = new URL("../openapi.json", import.meta.url);

/**
 * The document the compiled protos give now. Its version is this package's: the OpenAPI
 * `info.version` is the version of the document, not of the gateway serving it.
 */
export function openApiDocumentFromProtos(): object {
  const { version } = createRequire(import.meta.url)("../package.json") as { version: string };
  return buildOpenApiDocument(httpCatalogue(), { version });
}

let document: object | undefined;

/** The platform's OpenAPI 3.1 document as generated and committed; read once. */
export function openApiDocument(): object {
  document ??= JSON.parse(readFileSync(openApiDocumentPath, "utf8")) as object;
  return document;
}
