/**
 * What a Deployment's container gets in its environment, and whether that satisfies the
 * service's own configuration schema (services/<name>/src/config.ts, the one the service
 * validates at start).
 */
import { resolve } from "node:path";
import { type KubeObject, objectName } from "./kustomize.js";
import { repositoryRoot } from "./repository.js";

interface ParseResult {
  success: boolean;
  data?: unknown;
  error?: { issues: { message: string }[] };
}
/** The part of a zod object schema this module uses. */
export interface ConfigSchema {
  shape: Record<string, { safeParse(value: unknown): ParseResult }>;
}

export interface EnvironmentVariable {
  /** Where the manifests take it from: a literal (value or ConfigMap), a Secret, or the pod. */
  source: "literal" | "secret" | "pod";
  value?: string;
}

/** Read by libs outside the config schemas (the telemetry logger reads LOG_LEVEL itself). */
const readOutsideConfig = new Set(["LOG_LEVEL"]);

/** The service's config schema: the `…ConfigSchema` export of services/<name>/src/config.ts. */
export async function loadConfigSchema(service: string, root = repositoryRoot): Promise<ConfigSchema> {
  const path = resolve(root, "services", service, "src/config.ts");
  const module = (await import(path)) as Record<string, unknown>;
  const schema = Object.entries(module).find(
    ([name, value]) => name.endsWith("ConfigSchema") && typeof (value as ConfigSchema)?.shape === "object",
  )?.[1];
  if (!schema) throw new Error(`${path} exports no …ConfigSchema (a zod object of the variables it reads)`);
  return schema as ConfigSchema;
}

/** Variables a container gets from env and envFrom, resolving ConfigMaps in the same build. */
export function containerEnvironment(
  workload: KubeObject,
  container: KubeObject,
  objects: KubeObject[],
): { variables: Map<string, EnvironmentVariable>; problems: string[] } {
  const variables = new Map<string, EnvironmentVariable>();
  const problems: string[] = [];
  const path = `${objectName(workload)}: spec.template.spec.containers[${container.name}]`;
  const configMap = (name: string) =>
    objects.find((object) => object.kind === "ConfigMap" && object.metadata.name === name);
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const found = configMap(source.configMapRef.name);
      if (!found) problems.push(`${path}.envFrom: ConfigMap ${source.configMapRef.name} is not in the build`);
      for (const [name, value] of Object.entries(found?.data ?? {})) {
        variables.set(`${source.prefix ?? ""}${name}`, { source: "literal", value: String(value) });
      }
    } else if (source.secretRef) {
      problems.push(
        `${path}.envFrom: secretRef ${source.secretRef.name} hides which variables it sets; use env[].valueFrom.secretKeyRef`,
      );
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      variables.set(variable.name, { source: "literal", value: String(variable.value) });
    } else if (variable.valueFrom?.secretKeyRef) {
      variables.set(variable.name, { source: "secret" });
    } else if (variable.valueFrom?.configMapKeyRef) {
      const { name, key } = variable.valueFrom.configMapKeyRef;
      const value = configMap(name)?.data?.[key];
      if (value === undefined)
        problems.push(`${path}.env[${variable.name}]: ConfigMap ${name} has no key ${key}`);
      variables.set(variable.name, { source: "literal", value });
    } else {
      variables.set(variable.name, { source: "pod" });
    }
  }
  return { variables, problems };
}

/** A literal set to blank counts as unset, as in the services' loadConfig. */
const isSet = (variable: EnvironmentVariable | undefined) =>
  variable !== undefined && (variable.source !== "literal" || (variable.value ?? "").trim() !== "");

/**
 * For each service's Deployment: every variable its config requires is set, every variable
 * set is one it reads, every literal value passes its schema, and every `…_ADDRESS`
 * (host:port of another service) names a Service and port in the build.
 */
export function environmentViolations(objects: KubeObject[], schemas: Map<string, ConfigSchema>): string[] {
  const violations: string[] = [];
  for (const [service, schema] of schemas) {
    const deployment = objects.find(
      (object) => object.kind === "Deployment" && object.metadata.name === service,
    );
    if (!deployment) continue; // coverageViolations reports it
    const container = deployment.spec?.template?.spec?.containers?.[0] as KubeObject | undefined;
    if (!container) continue;
    const { variables, problems } = containerEnvironment(deployment, container, objects);
    violations.push(...problems);
    violations.push(
      ...variableViolations({
        where: `${objectName(deployment)}: spec.template.spec.containers[${container.name}].env`,
        service,
        schema,
        variables,
        addressProblem: (address) => serviceAddressProblem(address, objects),
      }),
    );
  }
  return violations;
}

/**
 * The variables one process gets, against its service's config schema: required ones set,
 * none it does not read, literals valid, `…_ADDRESS` values leading somewhere
 * (`addressProblem` says why not, or returns undefined).
 */
export function variableViolations(input: {
  where: string;
  service: string;
  schema: ConfigSchema;
  variables: Map<string, EnvironmentVariable>;
  addressProblem: (address: string) => string | undefined;
}): string[] {
  const { where, schema, variables } = input;
  const violations: string[] = [];
  const configFile = `services/${input.service}/src/config.ts`;
  for (const [name, field] of Object.entries(schema.shape)) {
    const variable = variables.get(name);
    if (!isSet(variable)) {
      if (!field.safeParse(undefined).success) {
        violations.push(`${where}: ${name} is required by ${configFile} but no manifest sets it`);
      } else if (name.endsWith("_ADDRESS")) {
        violations.push(`${where}: ${name} is not set (its default is for one machine, not a cluster)`);
      }
      continue;
    }
    if (variable?.source !== "literal") continue;
    const parsed = field.safeParse(variable.value);
    if (!parsed.success) {
      const reason = parsed.error?.issues.map((issue) => issue.message).join("; ");
      violations.push(
        `${where}: ${name}=${JSON.stringify(variable.value)} is rejected by ${configFile}: ${reason}`,
      );
    } else if (name.endsWith("_ADDRESS")) {
      const problem = input.addressProblem(String(variable.value));
      if (problem) violations.push(`${where}: ${name}=${variable.value}: ${problem}`);
    }
  }
  for (const name of variables.keys()) {
    if (!(name in schema.shape) && !readOutsideConfig.has(name)) {
      violations.push(`${where}: ${name} is set but ${configFile} does not read it`);
    }
  }
  return violations;
}

function serviceAddressProblem(address: string, objects: KubeObject[]): string | undefined {
  const [host, port] = address.split(":");
  const service = objects.find((object) => object.kind === "Service" && object.metadata.name === host);
  if (!service) return `names no Service ${host} in the build`;
  const ports = (service.spec?.ports ?? []).map((entry: { port: number }) => entry.port);
  if (!ports.includes(Number(port))) return `Service/${host} has no port ${port}`;
  return undefined;
}

/** SHUTDOWN_GRACE_MS a Deployment's service runs with: its manifests' value or the config default. */
export function shutdownGraceOf(objects: KubeObject[], schemas: Map<string, ConfigSchema>) {
  return (deploymentName: string): number => {
    const schema = schemas.get(deploymentName);
    const deployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === deploymentName);
    const container = deployment?.spec?.template?.spec?.containers?.[0] as KubeObject | undefined;
    const literal =
      deployment && container ? containerEnvironment(deployment, container, objects).variables : undefined;
    const value = literal?.get("SHUTDOWN_GRACE_MS")?.value;
    const parsed = schema?.shape.SHUTDOWN_GRACE_MS?.safeParse(value);
    return parsed?.success ? Number(parsed.data) : 10_000;
  };
}
