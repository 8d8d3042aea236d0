import { type KubeObject, objectName } from "./kustomize.js";

interface SchemaError {
  instancePath: string;
  message?: string;
  params: { missingProperty?: string; additionalProperty?: string };
}

interface ValidatingModel {
  validate(): void;
}

/**
 * Validates each object offline against the Kubernetes OpenAPI schema of its kind
 * (kubernetes-models: the schemas compiled to validators, shipped in the package; the
 * Prometheus Operator's CRDs from @kubernetes-models/prometheus-operator). Returns
 * one message per problem, naming the object and the field:
 * `Deployment/grid-cases: spec.replicas must be integer`.
 */
export async function schemaViolations(objects: KubeObject[]): Promise<string[]> {
  const violations: string[] = [];
  for (const object of objects) {
    const Model = await modelFor(object);
    if (typeof Model === "string") {
      violations.push(`${objectName(object)}: ${Model}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      const errors = (error as { errors?: SchemaError[] }).errors;
      if (!errors) throw error;
      for (const problem of errors) {
        const field = fieldPath(problem.instancePath, problem.params.missingProperty);
        violations.push(`${objectName(object)}: ${field || "(object)"} ${problem.message ?? "is invalid"}`);
      }
    }
  }
  return violations;
}

type ModelClass = new (data: KubeObject) => ValidatingModel;

async function modelFor(object: KubeObject): Promise<ModelClass | string> {
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
    return "apiVersion and kind are required";
  }
  let module: Record<string, unknown>;
  // The Prometheus Operator's kinds (k8s/monitoring) from its own models package.
  const models = object.apiVersion.startsWith("monitoring.coreos.com/")
    ? "@kubernetes-models/prometheus-operator"
    : "kubernetes-models";
  try {
    module = await import(/* @vite-ignore */ `${models}/${object.apiVersion}`);
  } catch {
    return `no Kubernetes schema for apiVersion ${object.apiVersion}`;
  }
  const Model = module[object.kind];
  if (typeof Model !== "function")
    return `no Kubernetes schema for kind ${object.kind} in ${object.apiVersion}`;
  return Model as ModelClass;
}

/** "/spec/template/spec/containers/0" + "name" → "spec.template.spec.containers[0].name". */
export function fieldPath(instancePath: string, missingProperty?: string): string {
  const segments = instancePath.split("/").filter(Boolean);
  if (missingProperty) segments.push(missingProperty);
  return segments.reduce(
    (path, segment) =>
      /^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
    "",
  );
}
