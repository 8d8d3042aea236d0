/**
 * deploy/compose.yaml against the services: every one is there, built from its Dockerfile
 * target, with the variables its config requires, started after what it needs is healthy.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { type ConfigSchema, type EnvironmentVariable, variableViolations } from "./environment.js";
import { repositoryRoot } from "./repository.js";

interface ComposeService {
  build?: { context?: string; dockerfile?: string; target?: string };
  image?: string;
  environment?: Record<string, string | number | null>;
  depends_on?: Record<string, { condition?: string }>;
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function loadCompose(path = resolve(repositoryRoot, "deploy/compose.yaml")): ComposeFile {
  return parse(readFileSync(path, "utf8"), { merge: true }) as ComposeFile;
}

/**
 * `${NAME:?message}` must come from deploy/.env (a secret); `${NAME:-default}` is its
 * default; anything else is the value.
 */
export function composeVariables(
  environment: ComposeService["environment"],
): Map<string, EnvironmentVariable> {
  const variables = new Map<string, EnvironmentVariable>();
  for (const [name, raw] of Object.entries(environment ?? {})) {
    const value = String(raw ?? "");
    if (/^\$\{\w+:\?/.test(value)) variables.set(name, { source: "secret" });
    else variables.set(name, { source: "literal", value: /^\$\{\w+:-(.*)\}$/.exec(value)?.[1] ?? value });
  }
  return variables;
}

export function composeViolations(input: {
  compose: ComposeFile;
  services: string[];
  schemas: Map<string, ConfigSchema>;
  dockerfileTargets: string[];
}): string[] {
  const { compose, schemas } = input;
  const violations: string[] = [];
  const isGrpcService = (service: string) => "GRPC_PORT" in (schemas.get(service)?.shape ?? {});
  for (const service of input.services) {
    const where = `deploy/compose.yaml: services.${service}`;
    const entry = compose.services?.[service];
    if (!entry) {
      violations.push(`${where} is missing (copy the grid-cases entry; k8s/README.md)`);
      continue;
    }
    if (entry.build?.target !== service || entry.build?.dockerfile !== "deploy/Dockerfile") {
      violations.push(`${where}.build must be { dockerfile: deploy/Dockerfile, target: ${service} }`);
    }
    if (!input.dockerfileTargets.includes(service)) {
      violations.push(`${where}.build.target ${service} is no target of deploy/Dockerfile`);
    }
    const schema = schemas.get(service);
    if (schema) {
      violations.push(
        ...variableViolations({
          where: `${where}.environment`,
          service,
          schema,
          variables: composeVariables(entry.environment),
          addressProblem: (address) => {
            const [host, port] = address.split(":");
            const target = host ? compose.services?.[host] : undefined;
            if (!target) return `names no compose service ${host}`;
            const grpcPort = composeVariables(target.environment).get("GRPC_PORT")?.value;
            return grpcPort === port ? undefined : `${host} listens on ${grpcPort}, not ${port}`;
          },
        }),
      );
    }
    const needs = isGrpcService(service) ? ["mongodb", "nats"] : input.services.filter(isGrpcService);
    for (const dependency of needs) {
      if (entry.depends_on?.[dependency]?.condition !== "service_healthy") {
        violations.push(`${where}.depends_on.${dependency} must be { condition: service_healthy }`);
      }
    }
  }
  return violations;
}
