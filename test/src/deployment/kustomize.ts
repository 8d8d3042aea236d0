import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { parseAllDocuments } from "yaml";

/** A Kubernetes object as kustomize renders it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are read as plain JSON and checked field by field
  [field: string]: any;
}

/** "Deployment/grid-cases": how every message names an object. */
export const objectName = (object: KubeObject) => `${object.kind}/${object.metadata?.name}`;

/** kustomize, as libs/testing/scripts/install-tools.sh installs it (pinned). */
export function kustomizeBinary(): string {
  const toolsDir = process.env.CIVIC_TOOLS_DIR ?? resolve(homedir(), ".cache/civic-platform/tools");
  const binary = resolve(toolsDir, "kustomize");
  if (!existsSync(binary))
    throw new Error(`kustomize is not installed in ${toolsDir}: run \`pnpm run setup\``);
  return binary;
}

/** `kustomize build <directory>`, parsed. Throws with kustomize's own message. */
export function kustomizeBuild(directory: string): KubeObject[] {
  let output: string;
  try {
    output = execFileSync(kustomizeBinary(), ["build", directory], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`kustomize build ${directory} failed: ${stderr.trim()}`);
  }
  return parseManifests(output);
}

/** Multi-document YAML → objects (empty documents dropped). */
export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJSON() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}
