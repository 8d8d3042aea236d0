import { writeFileSync } from "node:fs";
import { openApiDocumentFromProtos, openApiDocumentPath } from "./index.js";

// `pnpm generate`, after the descriptor set: pretty-printed, so that a change of the API shows
// in review as a change of this file.
writeFileSync(openApiDocumentPath, `${JSON.stringify(openApiDocumentFromProtos(), null, 2)}\n`);
