import { createRequire } from "node:module";
import { httpCatalogue } from "@civic/contracts";
import { buildOpenApiDocument } from "./document.js";

const gatewayPackage = createRequire(import.meta.url)("../../package.json") as { version: string };

let document: object | undefined;

/** The gateway's OpenAPI document, built once from the compiled protos. */
export function gatewayOpenApiDocument(): object {
  document ??= buildOpenApiDocument(httpCatalogue(), { version: gatewayPackage.version });
  return document;
}

export { docsPagePath, openApiPath } from "./document.js";
