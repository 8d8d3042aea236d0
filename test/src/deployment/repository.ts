import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";

/** The repository root (this file is test/src/deployment/ or test/dist/deployment/). */
export const repositoryRoot = resolve(import.meta.dirname, "../../..");

export const overlayNames = ["dev", "prod"] as const;
export type OverlayName = (typeof overlayNames)[number];

/** Every directory in services/ that is a package: each is deployed. */
export function serviceNames(root = repositoryRoot): string[] {
  return readdirSync(resolve(root, "services"), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(resolve(root, "services", entry.name, "package.json")),
    )
    .map((entry) => entry.name)
    .sort();
}

/** The build targets of deploy/Dockerfile (`FROM … AS <target>`). */
export function dockerfileTargets(
  dockerfile = readFileSync(resolve(repositoryRoot, "deploy/Dockerfile"), "utf8"),
) {
  return [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)\s*$/gim)].map((match) => match[1] as string);
}

/** The runtime stage's ENTRYPOINT, e.g. ["node", "--enable-source-maps", "dist/main.js"]. */
export function dockerfileEntrypoint(
  dockerfile = readFileSync(resolve(repositoryRoot, "deploy/Dockerfile"), "utf8"),
): string[] {
  const match = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (!match?.[1]) throw new Error("deploy/Dockerfile has no ENTRYPOINT in exec form");
  return JSON.parse(match[1]) as string[];
}

/** An overlay's `images:` as newName → the name in the manifests (civic-platform/<target>). */
export function overlayImageNames(overlay: string, root = repositoryRoot): Map<string, string> {
  const kustomization = parse(
    readFileSync(resolve(root, "k8s/overlays", overlay, "kustomization.yaml"), "utf8"),
  );
  const images = (kustomization?.images ?? []) as { name: string; newName?: string }[];
  return new Map(images.flatMap((image) => (image.newName ? [[image.newName, image.name] as const] : [])));
}
