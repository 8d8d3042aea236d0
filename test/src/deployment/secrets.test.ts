import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type KubeObject, kustomizeBuild, objectName, parseManifests } from "./kustomize.js";
import { overlayNames, repositoryRoot } from "./repository.js";
import { schemaViolations } from "./schema.js";

// deploy/scripts/generate-secrets.mjs must give every Secret key the manifests read.
const generate = (members: number) =>
  parseManifests(
    execFileSync(
      process.execPath,
      [resolve(repositoryRoot, "deploy/scripts/generate-secrets.mjs"), "--members", String(members)],
      {
        encoding: "utf8",
      },
    ),
  );

/** [secret, key, who reads it] for every Secret reference in the rendered objects. */
function secretReferences(objects: KubeObject[]): [string, string, string][] {
  const references: [string, string, string][] = [];
  for (const object of objects) {
    const pod = object.spec?.template?.spec;
    if (!pod) continue;
    for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref) references.push([ref.name, ref.key, `${objectName(object)} env ${variable.name}`]);
      }
    }
    for (const volume of pod.volumes ?? []) {
      const sources = [
        ...(volume.secret ? [{ secret: { ...volume.secret, name: volume.secret.secretName } }] : []),
        ...(volume.projected?.sources ?? []),
      ];
      for (const { secret } of sources) {
        for (const item of secret?.items ?? [])
          references.push([secret.name, item.key, `${objectName(object)} volume ${volume.name}`]);
      }
    }
  }
  return references;
}

describe("deploy/scripts/generate-secrets.mjs", () => {
  it.each(overlayNames)("writes every Secret key the %s overlay reads, as valid Secrets", async (overlay) => {
    const members = overlay === "dev" ? 1 : 3;
    const secrets = generate(members);
    expect(await schemaViolations(secrets)).toEqual([]);
    const keys = new Map(
      secrets.map((secret) => [secret.metadata.name, Object.keys(secret.stringData ?? {})]),
    );
    const objects = kustomizeBuild(resolve(repositoryRoot, "k8s/overlays", overlay));
    const missing = secretReferences(objects)
      .filter(([name, key]) => !keys.get(name)?.includes(key))
      .map(([name, key, reader]) => `${reader}: Secret ${name} key ${key} is not generated`);
    expect(missing).toEqual([]);
  });

  it("gives each service a MongoDB user on its own database, on every member", () => {
    const secrets = generate(3);
    const objects = kustomizeBuild(resolve(repositoryRoot, "k8s/overlays/prod"));
    const uris = secrets.filter((secret) => secret.stringData?.MONGODB_URI);
    expect(uris.length).toBeGreaterThan(0);
    for (const secret of uris) {
      const database = objects.find(
        (object) =>
          object.kind === "ConfigMap" && object.metadata.name.startsWith(`${secret.metadata.name}-`),
      )?.data?.MONGODB_DATABASE;
      expect(secret.stringData.MONGODB_URI).toMatch(
        new RegExp(
          `^mongodb://${database}:p[0-9a-f]{48}@mongodb-0\\.mongodb:27017,mongodb-1\\.mongodb:27017,mongodb-2\\.mongodb:27017/${database}\\?replicaSet=rs0&authSource=${database}$`,
        ),
      );
    }
    expect(new Set(uris.map((secret) => secret.stringData.MONGODB_URI)).size).toBe(uris.length);
  });
});
