import { readFile } from "node:fs/promises";
import {
  AdmissibilityList,
  admissibilityRulesSchema,
  defaultAdmissibilityRules,
} from "../domain/admissibility.js";

/**
 * The configured "five discussed, five not" list: the file's, or the default. A file that
 * cannot be read, is not JSON or is not such a list stops the service at startup with the
 * reason.
 */
export async function loadAdmissibilityList(path: string | undefined): Promise<AdmissibilityList> {
  if (!path) return new AdmissibilityList(defaultAdmissibilityRules);
  const problem = (reason: string) => new Error(`TOPIC_ADMISSIBILITY_FILE ${path}: ${reason}`);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw problem(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw problem(`is not JSON (${(error as Error).message})`);
  }
  const parsed = admissibilityRulesSchema.safeParse(json);
  if (!parsed.success) {
    throw problem(
      parsed.error.issues
        .map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")} ` : ""}${issue.message}`)
        .join("; "),
    );
  }
  return new AdmissibilityList(parsed.data);
}
