import { readFileSync } from "node:fs";
import { descriptorSetPath } from "@civic/contracts";
import * as grpc from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation } from "grpc-health-check";
import type { Logger } from "pino";
import { useRpcLogger } from "./unary.js";

export interface GrpcServiceRegistration {
  /** Fully qualified name, e.g. "civic.grid_cases.v1.CaseService" (also its health name). */
  name: string;
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface RunningGrpcServer {
  port: number;
  /** Health turns NOT_SERVING, so load balancers stop sending new calls. */
  setNotServing(): void;
  /** Stops taking calls, lets in-flight calls finish, forces the rest after `graceMs`. */
  shutdown(graceMs: number): Promise<void>;
}

/** A gRPC server with grpc.health.v1 health checking and server reflection. */
export async function startGrpcServer(options: {
  port: number;
  host?: string;
  services: GrpcServiceRegistration[];
  logger: Logger;
}): Promise<RunningGrpcServer> {
  useRpcLogger(options.logger);
  const server = new grpc.Server();
  for (const service of options.services) server.addService(service.definition, service.implementation);
  const health = new HealthImplementation({
    "": "SERVING",
    ...Object.fromEntries(options.services.map((service) => [service.name, "SERVING" as const])),
  });
  health.addToServer(server);
  new ReflectionService(loadFileDescriptorSetFromBuffer(readFileSync(descriptorSetPath))).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${options.host ?? "0.0.0.0"}:${options.port}`,
      grpc.ServerCredentials.createInsecure(),
      (error, boundPort) => (error ? reject(error) : resolve(boundPort)),
    ),
  );

  const setNotServing = () => {
    health.setStatus("", "NOT_SERVING");
    for (const service of options.services) health.setStatus(service.name, "NOT_SERVING");
  };
  return {
    port,
    setNotServing,
    shutdown: (graceMs) =>
      new Promise<void>((resolve) => {
        setNotServing();
        const force = setTimeout(() => {
          options.logger.warn({ graceMs }, "in-flight calls did not finish in time; forcing shutdown");
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
