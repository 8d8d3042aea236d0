import { readFile } from "node:fs/promises";
import {
  AdmissibilityList,
  admissibilityRulesSchema,
  defaultAdmissibilityRules,
} from "../domain/admissibility.js";

/** The configured "five discussed, five not" list: the file's, or the default. Fails fast on a bad file. */
export async function loadAdmissibilityList(path: string | undefined): Promise<AdmissibilityList> {
  if (!path) return new AdmissibilityList(defaultAdmissibilityRules);
  const parsed = admissibilityRulesSchema.safeParse(JSON.parse(await readFile(path, "utf8")));
  if (!parsed.success) {
    throw new Error(
      `TOPIC_ADMISSIBILITY_FILE ${path}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`,
    );
  }
  return new AdmissibilityList(parsed.data);
}
