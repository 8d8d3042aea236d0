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
 * Every directory in services/ has k8s/services/<name>/ and a Deployment of that name in
 * the overlay; every image of ours (civic-platform/<name>) is a target of deploy/Dockerfile.
 */
export function coverageViolations(input: {
  overlay: string;
  objects: KubeObject[];
  services: string[];
  hasKustomization: (service: string) => boolean;
  dockerfileTargets: string[];
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
      if (!image.startsWith("civic-platform/")) continue;
      const target = image.slice("civic-platform/".length).replace(/[:@].*$/, "");
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
