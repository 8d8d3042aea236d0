import { createRequire } from "node:module";
import { buildOpenApiDocument } from "./document.js";
import { loadProtoCatalogue, type ProtoCatalogue } from "./proto-catalogue.js";

const gatewayPackage = createRequire(import.meta.url)("../../package.json") as { version: string };

let document: object | undefined;
let catalogue: ProtoCatalogue | undefined;

/** The compiled protos' HTTP-annotated RPCs, loaded once. */
export function protoCatalogue(): ProtoCatalogue {
  catalogue ??= loadProtoCatalogue();
  return catalogue;
}

/** The gateway's OpenAPI document, built once from the compiled protos. */
export function gatewayOpenApiDocument(): object {
  document ??= buildOpenApiDocument(protoCatalogue(), { version: gatewayPackage.version });
  return document;
}

export { docsPagePath, openApiPath } from "./document.js";
