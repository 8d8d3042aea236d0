import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  type ConfigSchema,
  environmentViolations,
  loadConfigSchema,
  shutdownGraceOf,
} from "./environment.js";
import type { KubeObject } from "./kustomize.js";
import {
  availabilityViolations,
  coverageViolations,
  databaseUserViolations,
  grpcProbeViolations,
  productionViolations,
  workloadViolations,
} from "./policy.js";
import { dockerfileTargets, type OverlayName, repositoryRoot, serviceNames } from "./repository.js";

/** Each service's config schema, by service name. */
export async function loadConfigSchemas(services = serviceNames()): Promise<Map<string, ConfigSchema>> {
  return new Map(
    await Promise.all(services.map(async (name) => [name, await loadConfigSchema(name)] as const)),
  );
}

/** Every policy rule over one rendered overlay (schema validation is separate: schema.ts). */
export function policyViolations(input: {
  overlay: OverlayName;
  objects: KubeObject[];
  schemas: Map<string, ConfigSchema>;
  services?: string[];
  targets?: string[];
}): string[] {
  const { overlay, objects, schemas } = input;
  return [
    ...coverageViolations({
      overlay,
      objects,
      services: input.services ?? serviceNames(),
      hasKustomization: (service) =>
        existsSync(resolve(repositoryRoot, "k8s/services", service, "kustomization.yaml")),
      dockerfileTargets: input.targets ?? dockerfileTargets(),
    }),
    ...workloadViolations(objects),
    ...availabilityViolations(objects, shutdownGraceOf(objects, schemas)),
    ...grpcProbeViolations(objects),
    ...environmentViolations(objects, schemas),
    ...databaseUserViolations(objects),
    ...(overlay === "prod" ? productionViolations(objects) : []),
  ];
}
