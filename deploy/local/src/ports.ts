/**
 * The ports `pnpm start` gives each process on 127.0.0.1. Every one can be moved by an
 * environment variable named after the process: GATEWAY_PORT, GATEWAY_METRICS_PORT,
 * GRID_CASES_GRPC_PORT, GRID_CASES_METRICS_PORT, and so on.
 */
export const serviceNames = [
  "grid-cases",
  "party-building",
  "deliberation",
  "social-registry",
  "volunteer-stations",
] as const;
export type ServiceName = (typeof serviceNames)[number];

const defaults: Record<ServiceName, { grpc: number; metrics: number }> = {
  "grid-cases": { grpc: 50051, metrics: 9101 },
  "party-building": { grpc: 50052, metrics: 9102 },
  deliberation: { grpc: 50053, metrics: 9103 },
  "social-registry": { grpc: 50054, metrics: 9104 },
  "volunteer-stations": { grpc: 50055, metrics: 9105 },
};

export interface Ports {
  gateway: { http: number; metrics: number };
  services: Record<ServiceName, { grpc: number; metrics: number }>;
}

function portFrom(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const text = env[variable];
  if (text === undefined || text === "") return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${variable} must be a port number (1–65535), not ${JSON.stringify(text)}`);
  }
  return port;
}

const prefix = (name: string) => name.toUpperCase().replaceAll("-", "_");

/** Each port with the variable that moves it, for messages. */
export function portVariables(ports: Ports): { variable: string; port: number }[] {
  return [
    { variable: "GATEWAY_PORT", port: ports.gateway.http },
    { variable: "GATEWAY_METRICS_PORT", port: ports.gateway.metrics },
    ...serviceNames.flatMap((name) => [
      { variable: `${prefix(name)}_GRPC_PORT`, port: ports.services[name].grpc },
      { variable: `${prefix(name)}_METRICS_PORT`, port: ports.services[name].metrics },
    ]),
  ];
}

export function portsFrom(env: NodeJS.ProcessEnv): Ports {
  const services = Object.fromEntries(
    serviceNames.map((name) => [
      name,
      {
        grpc: portFrom(env, `${prefix(name)}_GRPC_PORT`, defaults[name].grpc),
        metrics: portFrom(env, `${prefix(name)}_METRICS_PORT`, defaults[name].metrics),
      },
    ]),
  ) as Ports["services"];
  return {
    gateway: {
      http: portFrom(env, "GATEWAY_PORT", 8080),
      metrics: portFrom(env, "GATEWAY_METRICS_PORT", 9100),
    },
    services,
  };
}
