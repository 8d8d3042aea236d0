import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gatewayRoutes, loadConfigSchemas, policyViolations } from "./checks.js";
import { type ConfigSchema, environmentViolations } from "./environment.js";
import { type KubeObject, kustomizeBuild } from "./kustomize.js";
import { coverageViolations, imageViolations, ingressViolations, workloadViolations } from "./policy.js";
import { dockerfileTargets, repositoryRoot, serviceNames } from "./repository.js";
import { schemaViolations } from "./schema.js";
import { streamViolations } from "./streams.js";
import { tracingViolations } from "./tracing.js";

// Each fixture in test/fixtures/k8s breaks the real manifests in one way; each check must
// reject it with a message naming the object and the field.
const fixture = (name: string) => kustomizeBuild(resolve(repositoryRoot, "test/fixtures/k8s", name));
const deployment = (objects: KubeObject[], name: string) =>
  objects.find((object) => object.kind === "Deployment" && object.metadata.name === name) as KubeObject;

describe("broken manifests fail the checks", () => {
  let schemas: Map<string, ConfigSchema>;
  let dev: KubeObject[];

  beforeAll(async () => {
    schemas = await loadConfigSchemas();
    dev = kustomizeBuild(resolve(repositoryRoot, "k8s/overlays/dev"));
  });

  it("a service missing from an overlay", () => {
    const violations = policyViolations({
      overlay: "dev",
      objects: fixture("overlay-missing-a-service"),
      schemas,
    });
    expect(violations).toContain(
      "overlay dev: Deployment/grid-cases is missing: add ../../services/grid-cases to k8s/overlays/dev/kustomization.yaml",
    );
  });

  it("a service without manifests or Dockerfile target", () => {
    const violations = coverageViolations({
      overlay: "prod",
      objects: dev,
      services: [...serviceNames(), "lost-and-found"],
      hasKustomization: (service) => service !== "lost-and-found",
      dockerfileTargets: dockerfileTargets(),
    });
    expect(violations).toEqual([
      'services/lost-and-found: k8s/services/lost-and-found/kustomization.yaml is missing (k8s/README.md, "Adding a service")',
      "overlay prod: Deployment/lost-and-found is missing: add ../../services/lost-and-found to k8s/overlays/prod/kustomization.yaml",
      "services/lost-and-found: deploy/Dockerfile has no target lost-and-found (k8s/README.md)",
    ]);
  });

  it("a Deployment without a probe or a limit", () => {
    expect(workloadViolations(fixture("deployment-without-probes-or-limits"))).toEqual([
      "Deployment/grid-cases: spec.template.spec.containers[service].livenessProbe is missing",
      "Deployment/grid-cases: spec.template.spec.containers[service].resources.limits.memory is missing",
    ]);
  });

  it("a Deployment that may run as root or write its filesystem", () => {
    const objects = structuredClone(dev);
    const pod = deployment(objects, "gateway").spec.template.spec;
    pod.securityContext.runAsNonRoot = false;
    pod.containers[0].securityContext.readOnlyRootFilesystem = false;
    expect(workloadViolations(objects)).toEqual([
      "Deployment/gateway: spec.template.spec.containers[gateway].securityContext.readOnlyRootFilesystem must be true",
    ]);
    delete pod.containers[0].securityContext.runAsNonRoot;
    expect(workloadViolations(objects)).toContain(
      "Deployment/gateway: spec.template.spec.containers[gateway].securityContext.runAsNonRoot must be true (here or on the pod)",
    );
  });

  it("a manifest that fails schema validation", async () => {
    expect(await schemaViolations(fixture("schema-invalid"))).toEqual([
      "Deployment/grid-cases: spec.replicas must be integer",
      "Deployment/grid-cases: spec.template.spec.containers[0].ports[1].containerPort must be integer",
    ]);
  });

  it("a kind no schema knows", async () => {
    const typo = { apiVersion: "apps/v1", kind: "Deploymnet", metadata: { name: "grid-cases" } };
    expect(await schemaViolations([typo])).toEqual([
      "Deploymnet/grid-cases: no Kubernetes schema for kind Deploymnet in apps/v1",
    ]);
  });

  it("a variable the service requires but no manifest sets", () => {
    expect(environmentViolations(fixture("required-variable-unset"), schemas)).toEqual([
      "Deployment/grid-cases: spec.template.spec.containers[service].env: PERSONAL_DATA_KEY is required by services/grid-cases/src/config.ts but no manifest sets it",
    ]);
  });

  it("a variable no service reads, a value its schema rejects, an address that leads nowhere", () => {
    const objects = structuredClone(dev);
    const gridCasesConfig = objects.find(
      (object) => object.kind === "ConfigMap" && object.metadata.name.startsWith("grid-cases-"),
    ) as KubeObject;
    gridCasesConfig.data.GRPC_PROT = "50051";
    gridCasesConfig.data.SAFETY_INDEX_INDICATORS = "five";
    const gatewayConfig = objects.find(
      (object) => object.kind === "ConfigMap" && object.metadata.name.startsWith("gateway-"),
    ) as KubeObject;
    gatewayConfig.data.GRID_CASES_ADDRESS = "grid-cases:50052";
    expect(environmentViolations(objects, schemas).sort()).toEqual(
      [
        "Deployment/gateway: spec.template.spec.containers[gateway].env: GRID_CASES_ADDRESS=grid-cases:50052: Service/grid-cases has no port 50052",
        'Deployment/grid-cases: spec.template.spec.containers[service].env: SAFETY_INDEX_INDICATORS="five" is rejected by services/grid-cases/src/config.ts: Invalid option: expected one of "three"|"four"',
        "Deployment/grid-cases: spec.template.spec.containers[service].env: GRPC_PROT is set but services/grid-cases/src/config.ts does not read it",
      ].sort(),
    );
  });

  it("an image that is no Dockerfile target", () => {
    const objects = structuredClone(dev);
    deployment(objects, "grid-cases").spec.template.spec.containers[0].image =
      "civic-platform/grid-case:1.2.0";
    expect(
      policyViolations({ overlay: "dev", objects, schemas }).filter((violation) =>
        violation.includes("image"),
      ),
    ).toEqual([
      `Deployment/grid-cases: spec.template.spec.containers[service].image civic-platform/grid-case:1.2.0 names no target of deploy/Dockerfile (targets: ${dockerfileTargets().join(", ")})`,
      "Deployment/grid-cases: spec.template.spec.containers[service].image is civic-platform/grid-case:1.2.0, expected civic-platform/grid-cases",
      "Deployment/grid-cases: spec.template.spec.containers[service].image civic-platform/grid-case:1.2.0 names no registry: the overlay's images: must give it a newName (deploy/scripts/set-images.mjs)",
    ]);
  });

  it("an Ingress that misses a public prefix of the OpenAPI document, or buffers the event stream", () => {
    const objects = structuredClone(dev);
    const ingress = (name: string) =>
      objects.find((object) => object.kind === "Ingress" && object.metadata.name === name) as KubeObject;
    const paths = ingress("gateway").spec.rules[0].http.paths as { path: string }[];
    ingress("gateway").spec.rules[0].http.paths = paths.filter((path) => path.path !== "/open311");
    const streamAnnotations = ingress("gateway-event-stream").metadata.annotations ?? {};
    delete streamAnnotations["nginx.ingress.kubernetes.io/proxy-buffering"];
    const routes = gatewayRoutes();
    expect(
      ingressViolations(objects, routes).filter((violation) => !violation.includes("/open311/")),
    ).toEqual([
      'Ingress/gateway-event-stream: the event stream /api/v1/event-stream needs nginx.ingress.kubernetes.io/proxy-buffering: "off"',
    ]);
    expect(ingressViolations(objects, routes)).toContain(
      "OpenAPI path /open311/v2/discovery.json: no Ingress routes it (k8s/services/gateway/ingress.yaml)",
    );
    const withoutStreamIngress = objects.filter((object) => object.metadata.name !== "gateway-event-stream");
    expect(ingressViolations(withoutStreamIngress, routes)).toContain(
      "Ingress/gateway: the event stream /api/v1/event-stream needs nginx.ingress.kubernetes.io/proxy-read-timeout of at least 600 s, has 30",
    );
  });

  it("a stream without limits, or with fewer replicas than NATS servers", () => {
    const prod = kustomizeBuild(resolve(repositoryRoot, "k8s/overlays/prod"));
    const configMap = (prefix: string) =>
      prod.find(
        (object) => object.kind === "ConfigMap" && object.metadata.name.startsWith(`${prefix}-`),
      ) as KubeObject;
    delete configMap("platform").data.STREAM_MAX_BYTES;
    configMap("gateway").data.IDEMPOTENCY_REPLICAS = "1";
    const violations = streamViolations(prod);
    expect(violations).toContain(
      "Deployment/grid-cases: spec.template.spec.containers[service].env: STREAM_MAX_BYTES is not set (explicit stream limits)",
    );
    expect(violations).toContain(
      "Deployment/gateway: spec.template.spec.containers[gateway].env: IDEMPOTENCY_REPLICAS=1, but NATS has 3 servers: streams must have a replica on each",
    );
    expect(violations).toHaveLength(serviceNames().length);
  });

  it("tracing on for some workloads only, or without a way to the collector", async () => {
    const traced = fixture("prod-with-tracing");
    expect(policyViolations({ overlay: "prod", objects: traced, schemas })).toEqual([]);
    expect(await schemaViolations(traced)).toEqual([]);
    const gatewayConfig = traced.find(
      (object) => object.kind === "ConfigMap" && object.metadata.name.startsWith("gateway-"),
    ) as KubeObject;
    expect(gatewayConfig.data.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("http://otel-collector.observability:4318");
    delete gatewayConfig.data.OTEL_EXPORTER_OTLP_ENDPOINT;
    const withoutPolicy = traced.filter((object) => object.metadata.name !== "allow-tracing");
    expect(tracingViolations(withoutPolicy)).toEqual([
      "Deployment/deliberation: sends traces to http://otel-collector.observability:4318 but no NetworkPolicy allows its egress to port 4318",
      "Deployment/gateway: OTEL_EXPORTER_OTLP_ENDPOINT is not set while Deployment/deliberation traces: use k8s/components/tracing",
      "Deployment/grid-cases: sends traces to http://otel-collector.observability:4318 but no NetworkPolicy allows its egress to port 4318",
      "Deployment/party-building: sends traces to http://otel-collector.observability:4318 but no NetworkPolicy allows its egress to port 4318",
      "Deployment/social-registry: sends traces to http://otel-collector.observability:4318 but no NetworkPolicy allows its egress to port 4318",
      "Deployment/volunteer-stations: sends traces to http://otel-collector.observability:4318 but no NetworkPolicy allows its egress to port 4318",
    ]);
  });

  it("an image without a tag, or at latest", () => {
    const objects = structuredClone(dev);
    deployment(objects, "grid-cases").spec.template.spec.containers[0].image =
      "registry.example.org/civic-platform/grid-cases";
    const nats = objects.find((object) => object.kind === "StatefulSet" && object.metadata.name === "nats");
    (nats as KubeObject).spec.template.spec.containers[0].image = "nats:latest";
    expect(imageViolations(objects)).toEqual([
      "Deployment/grid-cases: spec.template.spec.containers[service].image registry.example.org/civic-platform/grid-cases has no tag: set newTag in the overlay's images: (or a version tag)",
      "StatefulSet/nats: spec.template.spec.containers[nats].image nats:latest has no tag: set newTag in the overlay's images: (or a version tag)",
    ]);
  });

  it("a termination grace too short for the service's drain, and no disruption budget", () => {
    const objects = structuredClone(dev).filter(
      (object) => !(object.kind === "PodDisruptionBudget" && object.metadata.name === "grid-cases"),
    );
    deployment(objects, "grid-cases").spec.template.spec.terminationGracePeriodSeconds = 12;
    expect(policyViolations({ overlay: "dev", objects, schemas })).toEqual([
      "Deployment/grid-cases: no PodDisruptionBudget selects its pods (spec.template.metadata.labels)",
      "Deployment/grid-cases: spec.template.spec.terminationGracePeriodSeconds (12) must exceed the preStop pause (5 s) plus SHUTDOWN_GRACE_MS (10 s)",
    ]);
  });

  it("prod without three replicas or spread across nodes", () => {
    const objects = structuredClone(dev);
    const violations = policyViolations({ overlay: "prod", objects, schemas });
    expect(violations).toContain(
      "HorizontalPodAutoscaler/grid-cases: spec.minReplicas must be at least 3 in prod",
    );
    expect(violations).toContain(
      "Deployment/grid-cases: spec.template.spec.topologySpreadConstraints must keep replicas on different nodes (kubernetes.io/hostname, DoNotSchedule) in prod",
    );
  });

  it("a gRPC service without its database user", () => {
    const objects = structuredClone(dev);
    const job = objects.find((object) => object.kind === "Job") as KubeObject;
    const uris = job.spec.template.spec.volumes.find(
      (volume: { name: string }) => volume.name === "service-uris",
    );
    uris.projected.sources = uris.projected.sources.filter(
      (source: { secret: { name: string } }) => source.secret.name !== "grid-cases",
    );
    expect(policyViolations({ overlay: "dev", objects, schemas })).toEqual([
      "Job/mongodb-setup: spec.template.spec.volumes[service-uris].projected.sources has no Secret grid-cases, so Deployment/grid-cases gets no MongoDB user",
    ]);
  });
});
