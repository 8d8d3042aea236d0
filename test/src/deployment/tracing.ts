/**
 * Tracing is on for every workload or for none (k8s/components/tracing), and where it is
 * on, a network policy lets each pod reach the collector's port.
 */
import { containerEnvironment } from "./environment.js";
import { type KubeObject, objectName } from "./kustomize.js";

const variable = "OTEL_EXPORTER_OTLP_ENDPOINT";

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);

export function tracingViolations(objects: KubeObject[]): string[] {
  const deployments = objects.filter((object) => object.kind === "Deployment");
  const endpoints = new Map<KubeObject, string | undefined>();
  for (const deployment of deployments) {
    const container = deployment.spec?.template?.spec?.containers?.[0] as KubeObject;
    endpoints.set(
      deployment,
      containerEnvironment(deployment, container, objects).variables.get(variable)?.value,
    );
  }
  const traced = [...endpoints].filter(([, endpoint]) => endpoint);
  if (traced.length === 0) return [];
  const violations: string[] = [];
  for (const [deployment, endpoint] of endpoints) {
    if (!endpoint) {
      violations.push(
        `${objectName(deployment)}: ${variable} is not set while ${objectName(traced[0]?.[0] as KubeObject)} traces: use k8s/components/tracing`,
      );
      continue;
    }
    const url = new URL(endpoint);
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const labels = deployment.spec?.template?.metadata?.labels ?? {};
    const allowed = objects.some(
      (policy) =>
        policy.kind === "NetworkPolicy" &&
        (policy.spec?.policyTypes ?? []).includes("Egress") &&
        selects(policy.spec?.podSelector?.matchLabels, labels) &&
        (policy.spec?.egress ?? []).some((rule: { ports?: { port?: number }[] }) =>
          (rule.ports ?? []).some((allowedPort) => allowedPort.port === port),
        ),
    );
    if (!allowed) {
      violations.push(
        `${objectName(deployment)}: sends traces to ${endpoint} but no NetworkPolicy allows its egress to port ${port}`,
      );
    }
  }
  return violations;
}
