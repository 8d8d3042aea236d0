/**
 * JetStream streams survive a node: every service's event stream and the gateway's
 * idempotency bucket are created with explicit replicas and retention, the replicas as
 * many as NATS has servers (3 in prod, 1 in dev).
 */
import { containerEnvironment } from "./environment.js";
import { type KubeObject, objectName } from "./kustomize.js";

/** The variables each workload sets for the streams it creates (its config.ts reads them). */
const streamVariables = {
  "grpc-service": { replicas: "STREAM_REPLICAS", limits: ["STREAM_MAX_AGE_MS", "STREAM_MAX_BYTES"] },
  gateway: { replicas: "IDEMPOTENCY_REPLICAS", limits: ["IDEMPOTENCY_TTL_MS", "IDEMPOTENCY_MAX_BYTES"] },
} as const;

export function streamViolations(objects: KubeObject[]): string[] {
  const nats = objects.find((object) => object.kind === "StatefulSet" && object.metadata.name === "nats");
  if (!nats) return ["StatefulSet/nats is missing (k8s/nats)"];
  const servers = Number(nats.spec?.replicas ?? 1);
  const violations: string[] = [];
  for (const deployment of objects.filter((object) => object.kind === "Deployment")) {
    const component = deployment.metadata.labels?.["app.kubernetes.io/component"];
    const expected = streamVariables[component as keyof typeof streamVariables];
    if (!expected) continue;
    for (const container of (deployment.spec?.template?.spec?.containers ?? []) as KubeObject[]) {
      const { variables } = containerEnvironment(deployment, container, objects);
      const path = `${objectName(deployment)}: spec.template.spec.containers[${container.name}].env`;
      for (const name of [expected.replicas, ...expected.limits]) {
        if (!variables.has(name)) violations.push(`${path}: ${name} is not set (explicit stream limits)`);
      }
      const replicas = variables.get(expected.replicas)?.value;
      if (replicas !== undefined && Number(replicas) !== servers) {
        violations.push(
          `${path}: ${expected.replicas}=${replicas}, but NATS has ${servers} servers: streams must have a replica on each`,
        );
      }
    }
  }
  return violations;
}
