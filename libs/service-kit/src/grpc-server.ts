import * as grpc from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import type { Logger } from "pino";
import { grpcServing } from "./grpc-serving.js";
import { healthServiceName } from "./health-descriptor.js";
import { inFlightCalls } from "./in-flight.js";
import { addReflectionService } from "./reflection.js";
import { useRpcLogger } from "./unary.js";

export interface GrpcServiceRegistration {
  /** Fully qualified name, e.g. "civic.grid_cases.v1.CaseService" (also its health name). */
  name: string;
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface RunningGrpcServer {
  /** The bound port (the OS's choice when asked for port 0). */
  port: number;
  /** Health turns NOT_SERVING (overall and every service), so probes and balancers stop sending calls. */
  setNotServing(): void;
  /**
   * Health NOT_SERVING, then stops taking calls (new calls fail UNAVAILABLE) and lets
   * in-flight calls finish; after `graceMs` the rest are cancelled. Calling it again
   * returns the same promise.
   */
  shutdown(graceMs: number): Promise<void>;
}

/**
 * A gRPC server (insecure: TLS ends at the mesh or ingress) with grpc.health.v1 health
 * checking ("" and each service SERVING) and server reflection (listing its services,
 * describing them from @civic/contracts' compiled files); neither needs a caller token. Handlers built with unaryHandler report to `logger`.
 */
export async function startGrpcServer(options: {
  port: number;
  /** The address to bind; by default grpcServing().host (GRPC_HOST). */
  host?: string;
  services: GrpcServiceRegistration[];
  logger: Logger;
  /** grpc-js server options, e.g. { "grpc.max_receive_message_length": … }. */
  serverOptions?: grpc.ServerOptions;
}): Promise<RunningGrpcServer> {
  const { logger } = options;
  useRpcLogger(logger);
  const server = new grpc.Server(options.serverOptions);
  for (const service of options.services) server.addService(service.definition, service.implementation);
  const health = new HealthImplementation({
    "": "SERVING",
    ...Object.fromEntries(options.services.map((service) => [service.name, "SERVING" as const])),
  });
  const healthWatches = addHealthService(server, health);
  addReflectionService(server, [healthServiceName, ...options.services.map((service) => service.name)]);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${options.host ?? grpcServing().host}:${options.port}`,
      grpc.ServerCredentials.createInsecure(),
      (error, boundPort) => (error ? reject(error) : resolve(boundPort)),
    ),
  );

  const setNotServing = () => {
    health.setStatus("", "NOT_SERVING");
    for (const service of options.services) health.setStatus(service.name, "NOT_SERVING");
  };
  let stopped: Promise<void> | undefined;
  const shutdown = (graceMs: number) =>
    new Promise<void>((resolve) => {
      setNotServing();
      // Watch streams never end by themselves and would hold tryShutdown until graceMs:
      // they have just been told NOT_SERVING, so close them.
      for (const watch of healthWatches) watch.end();
      logger.info(
        { inFlight: inFlightCalls.count, graceMs },
        "gRPC server stopping: finishing in-flight calls",
      );
      const force = setTimeout(() => {
        logger.warn(
          { inFlight: inFlightCalls.count, graceMs },
          "gRPC calls did not finish in time; cancelling them",
        );
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown((error) => {
        clearTimeout(force);
        if (error) logger.warn({ err: error }, "gRPC server shutdown reported an error");
        resolve();
      });
    });
  return {
    port,
    setNotServing,
    shutdown: (graceMs) => {
      stopped ??= shutdown(graceMs);
      return stopped;
    },
  };
}

/**
 * Adds grpc.health.v1 (grpc-health-check's implementation) and returns the open Watch
 * streams, which shutdown must end.
 */
function addHealthService(
  server: grpc.Server,
  health: HealthImplementation,
): Set<grpc.ServerWritableStream<unknown, unknown>> {
  const watches = new Set<grpc.ServerWritableStream<unknown, unknown>>();
  health.addToServer({
    addService: (definition, implementation) => {
      const watch = implementation.watch as grpc.handleServerStreamingCall<unknown, unknown>;
      server.addService(definition as grpc.ServiceDefinition, {
        ...(implementation as grpc.UntypedServiceImplementation),
        watch: (call: grpc.ServerWritableStream<unknown, unknown>) => {
          watches.add(call);
          const forget = () => watches.delete(call);
          call.once("cancelled", forget);
          call.once("finish", forget);
          watch(call);
        },
      });
    },
  });
  return watches;
}
