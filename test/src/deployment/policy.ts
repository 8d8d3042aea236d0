/**
 * The rules every rendered overlay keeps. Each function returns messages that name the
 * object and the field (`Deployment/grid-cases: spec.template.spec.containers[service].
 * livenessProbe is missing`); an empty list means the rule holds.
 */
import { type KubeObject, objectName } from "./kustomize.js";

type Container = KubeObject;
const podTemplateOwners = new Set(["Deployment", "StatefulSet", "Job"]);

const ofKind = (objects: KubeObject[], kind: string) => objects.filter((object) => object.kind === kind);

function containersOf(workload: KubeObject): { path: string; container: Container; init: boolean }[] {
  const spec = workload.spec?.template?.spec ?? {};
  const list = (field: string, init: boolean) =>
    ((spec[field] ?? []) as Container[]).map((container) => ({
      path: `spec.template.spec.${field}[${container.name}]`,
      container,
      init,
    }));
  return [...list("initContainers", true), ...list("containers", false)];
}

/** Probes, resources and the restricted security context on every Deployment and StatefulSet. */
export function workloadViolations(objects: KubeObject[]): string[] {
  const violations: string[] = [];
  for (const workload of objects.filter((object) => podTemplateOwners.has(object.kind))) {
    const name = objectName(workload);
    const pod = workload.spec?.template?.spec ?? {};
    const podSecurity = pod.securityContext ?? {};
    for (const { path, container, init } of containersOf(workload)) {
      const security = container.securityContext ?? {};
      if (!init && workload.kind !== "Job") {
        for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
          if (!container[probe]) violations.push(`${name}: ${path}.${probe} is missing`);
        }
      }
      for (const bound of ["requests", "limits"]) {
        for (const resource of ["cpu", "memory"]) {
          if (!container.resources?.[bound]?.[resource]) {
            violations.push(`${name}: ${path}.resources.${bound}.${resource} is missing`);
          }
        }
      }
      if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) {
        violations.push(`${name}: ${path}.securityContext.runAsNonRoot must be true (here or on the pod)`);
      }
      if ((security.seccompProfile?.type ?? podSecurity.seccompProfile?.type) !== "RuntimeDefault") {
        violations.push(`${name}: ${path}.securityContext.seccompProfile.type must be RuntimeDefault`);
      }
      if (security.allowPrivilegeEscalation !== false) {
        violations.push(`${name}: ${path}.securityContext.allowPrivilegeEscalation must be false`);
      }
      if (security.readOnlyRootFilesystem !== true) {
        violations.push(`${name}: ${path}.securityContext.readOnlyRootFilesystem must be true`);
      }
      if (!(security.capabilities?.drop ?? []).includes("ALL")) {
        violations.push(`${name}: ${path}.securityContext.capabilities.drop must include ALL`);
      }
    }
  }
  return violations;
}

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/**
 * Deployments: a PodDisruptionBudget and a HorizontalPodAutoscaler, a preStop pause, and a
 * termination grace longer than that pause plus the service's own drain
 * (SHUTDOWN_GRACE_MS, from its manifests or its config's default). StatefulSets: a PDB.
 */
export function availabilityViolations(
  objects: KubeObject[],
  shutdownGraceMs: (name: string) => number,
): string[] {
  const violations: string[] = [];
  const budgets = ofKind(objects, "PodDisruptionBudget");
  const autoscalers = ofKind(objects, "HorizontalPodAutoscaler");
  for (const workload of objects.filter((object) => ["Deployment", "StatefulSet"].includes(object.kind))) {
    const name = objectName(workload);
    const labels = workload.spec?.template?.metadata?.labels ?? {};
    if (!budgets.some((budget) => selects(budget.spec?.selector?.matchLabels, labels))) {
      violations.push(`${name}: no PodDisruptionBudget selects its pods (spec.template.metadata.labels)`);
    }
    if (workload.kind !== "Deployment") continue;
    const target = (autoscaler: KubeObject) => autoscaler.spec?.scaleTargetRef;
    if (
      !autoscalers.some((a) => target(a)?.kind === "Deployment" && target(a)?.name === workload.metadata.name)
    ) {
      violations.push(`${name}: no HorizontalPodAutoscaler has it as spec.scaleTargetRef`);
    }
    const containers = (workload.spec?.template?.spec?.containers ?? []) as Container[];
    for (const container of containers) {
      const path = `spec.template.spec.containers[${container.name}]`;
      const preStop = container.lifecycle?.preStop;
      if (!preStop) {
        violations.push(`${name}: ${path}.lifecycle.preStop is missing (a pause before SIGTERM)`);
        continue;
      }
      const pauseMs = (preStop.sleep?.seconds ?? 0) * 1000;
      const graceMs = (workload.spec?.template?.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
      const drainMs = shutdownGraceMs(workload.metadata.name);
      if (graceMs <= pauseMs + drainMs) {
        violations.push(
          `${name}: spec.template.spec.terminationGracePeriodSeconds (${graceMs / 1000}) must exceed the preStop pause (${pauseMs / 1000} s) plus SHUTDOWN_GRACE_MS (${drainMs / 1000} s)`,
        );
      }
    }
  }
  return violations;
}

/** gRPC services (k8s/components/grpc-service): all three probes are native gRPC on the "grpc" port. */
export function grpcProbeViolations(objects: KubeObject[]): string[] {
  const violations: string[] = [];
  const services = ofKind(objects, "Deployment").filter(
    (deployment) => deployment.metadata.labels?.["app.kubernetes.io/component"] === "grpc-service",
  );
  for (const deployment of services) {
    for (const container of (deployment.spec?.template?.spec?.containers ?? []) as Container[]) {
      const path = `spec.template.spec.containers[${container.name}]`;
      const grpcPort = (container.ports ?? []).find(
        (port: { name?: string }) => port.name === "grpc",
      )?.containerPort;
      if (grpcPort === undefined)
        violations.push(`${objectName(deployment)}: ${path}.ports has no port named grpc`);
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const port = container[probe]?.grpc?.port;
        if (container[probe] && port !== grpcPort) {
          violations.push(
            `${objectName(deployment)}: ${path}.${probe}.grpc.port must be the grpc port ${grpcPort} (grpc.health.v1), is ${port}`,
          );
        }
      }
    }
  }
  return violations;
}

/**
 * The Dockerfile target an image of ours names: `civic-platform/<target>` as the manifests
 * write it, or `<registry>/<target>:<tag>` once an overlay's `images:` points it at a
 * registry (`renamed`: the overlay's newName → name).
 */
function ourImageTarget(image: string, renamed: Map<string, string>): string | undefined {
  const name = imageName(image);
  const base = renamed.get(name) ?? name;
  return base.startsWith("civic-platform/") ? base.slice("civic-platform/".length) : undefined;
}

/** The image without its tag or digest. */
const imageName = (image: string) => image.replace(/@.*$/, "").replace(/:[^:/]+$/, "");

/**
 * Every image is pullable as it stands: a registry or Docker Hub name with an explicit tag
 * (not `latest`) or a digest; ours (k8s/services) point at a registry, set by the overlay's
 * `images:` (deploy/scripts/set-images.mjs).
 */
export function imageViolations(objects: KubeObject[]): string[] {
  const violations: string[] = [];
  for (const workload of objects.filter((object) => podTemplateOwners.has(object.kind))) {
    for (const { path, container } of containersOf(workload)) {
      const image = String(container.image ?? "");
      const tag = /:([^:/@]+)$/.exec(image.replace(/@.*$/, ""))?.[1];
      if (!image.includes("@sha256:") && (tag === undefined || tag === "latest")) {
        violations.push(
          `${objectName(workload)}: ${path}.image ${image} has no tag: set newTag in the overlay's images: (or a version tag)`,
        );
      }
      if (imageName(image).startsWith("civic-platform/")) {
        violations.push(
          `${objectName(workload)}: ${path}.image ${image} names no registry: the overlay's images: must give it a newName (deploy/scripts/set-images.mjs)`,
        );
      }
    }
  }
  return violations;
}

/**
 * Every directory in services/ has k8s/services/<name>/ and a Deployment of that name in
 * the overlay; every image of ours (civic-platform/<name>) is a target of deploy/Dockerfile.
 */
export function coverageViolations(input: {
  overlay: string;
  objects: KubeObject[];
  services: string[];
  hasKustomization: (service: string) => boolean;
  dockerfileTargets: string[];
  /** The overlay's `images:`: newName → the manifests' name (civic-platform/<target>). */
  renamedImages?: Map<string, string>;
}): string[] {
  const violations: string[] = [];
  const deployments = new Map(ofKind(input.objects, "Deployment").map((d) => [d.metadata.name, d]));
  for (const service of input.services) {
    if (!input.hasKustomization(service)) {
      violations.push(
        `services/${service}: k8s/services/${service}/kustomization.yaml is missing (k8s/README.md, "Adding a service")`,
      );
    }
    if (!deployments.has(service)) {
      violations.push(
        `overlay ${input.overlay}: Deployment/${service} is missing: add ../../services/${service} to k8s/overlays/${input.overlay}/kustomization.yaml`,
      );
    }
    if (!input.dockerfileTargets.includes(service)) {
      violations.push(`services/${service}: deploy/Dockerfile has no target ${service} (k8s/README.md)`);
    }
  }
  for (const workload of input.objects.filter((object) => podTemplateOwners.has(object.kind))) {
    for (const { path, container } of containersOf(workload)) {
      const image = String(container.image ?? "");
      const target = ourImageTarget(image, input.renamedImages ?? new Map());
      if (target === undefined) continue;
      if (!input.dockerfileTargets.includes(target)) {
        violations.push(
          `${objectName(workload)}: ${path}.image ${image} names no target of deploy/Dockerfile (targets: ${input.dockerfileTargets.join(", ")})`,
        );
      }
      if (input.services.includes(workload.metadata.name) && target !== workload.metadata.name) {
        violations.push(
          `${objectName(workload)}: ${path}.image is ${image}, expected civic-platform/${workload.metadata.name}`,
        );
      }
    }
  }
  return violations;
}

/** prod: at least three replicas of every Deployment, spread across nodes. */
export function productionViolations(objects: KubeObject[]): string[] {
  const violations: string[] = [];
  for (const autoscaler of ofKind(objects, "HorizontalPodAutoscaler")) {
    if ((autoscaler.spec?.minReplicas ?? 1) < 3) {
      violations.push(`${objectName(autoscaler)}: spec.minReplicas must be at least 3 in prod`);
    }
  }
  for (const workload of objects.filter((object) => ["Deployment", "StatefulSet"].includes(object.kind))) {
    const pod = workload.spec?.template?.spec ?? {};
    const spread = (pod.topologySpreadConstraints ?? []).some(
      (constraint: { topologyKey?: string; whenUnsatisfiable?: string }) =>
        constraint.topologyKey === "kubernetes.io/hostname" &&
        constraint.whenUnsatisfiable === "DoNotSchedule",
    );
    const antiAffinity = (
      pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
    ).some((term: { topologyKey?: string }) => term.topologyKey === "kubernetes.io/hostname");
    if (!spread && !antiAffinity) {
      violations.push(
        `${objectName(workload)}: spec.template.spec.topologySpreadConstraints must keep replicas on different nodes (kubernetes.io/hostname, DoNotSchedule) in prod`,
      );
    }
  }
  return violations;
}

/** The mongodb-setup Job creates a user for every gRPC service: it must mount each one's Secret. */
export function databaseUserViolations(objects: KubeObject[]): string[] {
  const job = objects.find((object) => object.kind === "Job" && object.metadata.name === "mongodb-setup");
  if (!job) return ["Job/mongodb-setup is missing (k8s/mongodb)"];
  const mounted = new Set<string>(
    ((job.spec?.template?.spec?.volumes ?? []) as KubeObject[])
      .flatMap((volume) => volume.projected?.sources ?? [])
      .map((source: { secret?: { name?: string } }) => source.secret?.name)
      .filter((name): name is string => typeof name === "string"),
  );
  const violations: string[] = [];
  for (const deployment of ofKind(objects, "Deployment")) {
    for (const container of (deployment.spec?.template?.spec?.containers ?? []) as Container[]) {
      const uri = (container.env ?? []).find((variable: { name: string }) => variable.name === "MONGODB_URI");
      const secret = uri?.valueFrom?.secretKeyRef?.name;
      if (secret && !mounted.has(secret)) {
        violations.push(
          `Job/mongodb-setup: spec.template.spec.volumes[service-uris].projected.sources has no Secret ${secret}, so ${objectName(deployment)} gets no MongoDB user`,
        );
      }
    }
  }
  return violations;
}

/** Paths of the OpenAPI document that are not for the public: the kubelet's probe. */
const internalPaths = new Set(["/healthz"]);

interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: { service?: { name?: string } };
}

/** Whether an Ingress path (Prefix: whole segments; Exact) takes requests for `path`. */
const routes = (rule: IngressPath, path: string) =>
  rule.pathType === "Exact"
    ? rule.path === path
    : rule.path !== undefined && (path === rule.path || path.startsWith(`${rule.path.replace(/\/$/, "")}/`));

/**
 * Every public path of the gateway's OpenAPI document reaches the gateway through an
 * Ingress, and the event stream's Ingress keeps a connection open (unbuffered, a read
 * timeout of at least ten minutes) as Server-Sent Events need.
 */
export function ingressViolations(
  objects: KubeObject[],
  input: { openApiPaths: string[]; eventStreamPath: string },
): string[] {
  const violations: string[] = [];
  const ingressPaths = ofKind(objects, "Ingress").flatMap((ingress) =>
    ((ingress.spec?.rules ?? []) as KubeObject[]).flatMap((rule) =>
      ((rule.http?.paths ?? []) as IngressPath[]).map((path) => ({ ingress, path })),
    ),
  );
  // The rule nginx picks for a request: Exact first, then the longest Prefix.
  const chosen = (path: string) =>
    ingressPaths
      .filter((entry) => routes(entry.path, path))
      .sort(
        (a, b) =>
          Number(b.path.pathType === "Exact") - Number(a.path.pathType === "Exact") ||
          String(b.path.path).length - String(a.path.path).length,
      )[0];
  for (const path of input.openApiPaths.filter((path) => !internalPaths.has(path))) {
    // A concrete request path: parameters become a segment.
    const request = path.replaceAll(/\{[^}]+\}/g, "x");
    const entry = chosen(request);
    if (!entry) {
      violations.push(`OpenAPI path ${path}: no Ingress routes it (k8s/services/gateway/ingress.yaml)`);
    } else if (entry.path.backend?.service?.name !== "gateway") {
      violations.push(
        `OpenAPI path ${path}: ${objectName(entry.ingress)} sends it to ${entry.path.backend?.service?.name}, not the gateway`,
      );
    }
  }
  const stream = chosen(input.eventStreamPath);
  if (stream) {
    const annotations = stream.ingress.metadata.annotations ?? {};
    const readTimeout = Number(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"] ?? 60);
    if (readTimeout < 600) {
      violations.push(
        `${objectName(stream.ingress)}: the event stream ${input.eventStreamPath} needs nginx.ingress.kubernetes.io/proxy-read-timeout of at least 600 s, has ${readTimeout}`,
      );
    }
    if (annotations["nginx.ingress.kubernetes.io/proxy-buffering"] !== "off") {
      violations.push(
        `${objectName(stream.ingress)}: the event stream ${input.eventStreamPath} needs nginx.ingress.kubernetes.io/proxy-buffering: "off"`,
      );
    }
  }
  return violations;
}
