import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfigSchemas, policyViolations } from "./checks.js";
import type { ConfigSchema } from "./environment.js";
import { type KubeObject, kustomizeBuild } from "./kustomize.js";
import { overlayNames, repositoryRoot, serviceNames } from "./repository.js";
import { schemaViolations } from "./schema.js";

// What operators apply: each overlay rendered by kustomize, checked offline.
describe.each(overlayNames)("k8s/overlays/%s", (overlay) => {
  let objects: KubeObject[];
  let schemas: Map<string, ConfigSchema>;

  beforeAll(async () => {
    objects = kustomizeBuild(resolve(repositoryRoot, "k8s/overlays", overlay));
    schemas = await loadConfigSchemas();
  });

  it("renders every service, the gateway, NATS, MongoDB and the network policies", () => {
    const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    expect(names("Deployment").sort()).toEqual(serviceNames());
    expect(names("StatefulSet").sort()).toEqual(["mongodb", "nats"]);
    expect(names("NetworkPolicy")).toContain("default-deny");
    expect(objects.every((object) => ["civic", undefined].includes(object.metadata.namespace))).toBe(true);
  });

  it("validates against the Kubernetes schemas", async () => {
    expect(await schemaViolations(objects)).toEqual([]);
  });

  it("keeps every policy: coverage, probes, limits, security, PDB, HPA, shutdown, environment", () => {
    expect(policyViolations({ overlay, objects, schemas })).toEqual([]);
  });
});
