import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { openApiDocument } from "@civic/openapi";
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
  imageViolations,
  ingressViolations,
  productionViolations,
  workloadViolations,
} from "./policy.js";
import {
  dockerfileTargets,
  type OverlayName,
  overlayImageNames,
  repositoryRoot,
  serviceNames,
} from "./repository.js";
import { streamViolations } from "./streams.js";
import { tracingViolations } from "./tracing.js";

/** Each service's config schema, by service name. */
export async function loadConfigSchemas(services = serviceNames()): Promise<Map<string, ConfigSchema>> {
  return new Map(
    await Promise.all(services.map(async (name) => [name, await loadConfigSchema(name)] as const)),
  );
}

type OpenApiOperation = { responses?: Record<string, { content?: Record<string, unknown> }> };

/** The gateway's paths (its OpenAPI document) and its event stream (the text/event-stream GET). */
export function gatewayRoutes(): { openApiPaths: string[]; eventStreamPath: string } {
  const document = openApiDocument() as { paths: Record<string, { get?: OpenApiOperation }> };
  const eventStreamPath = Object.entries(document.paths).find(([, item]) =>
    Object.values(item.get?.responses ?? {}).some((response) => response.content?.["text/event-stream"]),
  )?.[0];
  if (!eventStreamPath) throw new Error("the gateway's OpenAPI document has no text/event-stream operation");
  return { openApiPaths: Object.keys(document.paths), eventStreamPath };
}

/** Every policy rule over one rendered overlay (schema validation is separate: schema.ts). */
export function policyViolations(input: {
  overlay: OverlayName;
  objects: KubeObject[];
  schemas: Map<string, ConfigSchema>;
  services?: string[];
  targets?: string[];
  /** The overlay's `images:` (newName → name); read from k8s/overlays/<overlay> when not given. */
  renamedImages?: Map<string, string>;
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
      renamedImages: input.renamedImages ?? overlayImageNames(overlay),
    }),
    ...imageViolations(objects),
    ...workloadViolations(objects),
    ...availabilityViolations(objects, shutdownGraceOf(objects, schemas)),
    ...grpcProbeViolations(objects),
    ...environmentViolations(objects, schemas),
    ...databaseUserViolations(objects),
    ...ingressViolations(objects, gatewayRoutes()),
    ...streamViolations(objects),
    ...tracingViolations(objects),
    ...(overlay === "prod" ? productionViolations(objects) : []),
  ];
}
