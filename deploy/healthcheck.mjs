// Container health check for images without a probe binary (compose, plain Docker;
// Kubernetes uses its native gRPC and HTTP probes instead):
//   node healthcheck.mjs grpc 50051          grpc.health.v1 Check of the whole server
//   node healthcheck.mjs http 8080 /healthz  any 2xx
// Exits 0 when healthy, 1 otherwise. Needs nothing but @grpc/grpc-js, which every
// service bundle has.
import { Client, credentials } from "@grpc/grpc-js";

const [kind, port, path = "/healthz"] = process.argv.slice(2);
const timeoutMs = 3_000;
const fail = (reason) => {
  console.error(`unhealthy: ${reason}`);
  process.exit(1);
};

if (kind === "http") {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error) => fail(String(error)));
  if (!response.ok) fail(`HTTP ${response.status}`);
  process.exit(0);
} else if (kind === "grpc") {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  // HealthCheckRequest{service: ""} encodes to no bytes; the response's only field is
  // `status` (field 1, varint), and SERVING is 1.
  client.makeUnaryRequest(
    "/grpc.health.v1.Health/Check",
    () => Buffer.alloc(0),
    (bytes) => bytes,
    {},
    { deadline: Date.now() + timeoutMs },
    (error, bytes) => {
      client.close();
      if (error) fail(error.message);
      const status = bytes[0] === 0x08 ? bytes[1] : 0;
      if (status !== 1) fail(`status ${status} (1 is SERVING)`);
      process.exit(0);
    },
  );
} else {
  fail(`usage: node healthcheck.mjs grpc <port> | http <port> [path]`);
}
