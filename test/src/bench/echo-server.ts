import type { AddressInfo } from "node:net";
import * as grpc from "@grpc/grpc-js";
import express from "express";

/** The floor to compare intake with: Express → gRPC → reply, no validation, no storage. */
const json = {
  serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  deserialize: (buffer: Buffer) => JSON.parse(buffer.toString()),
};
const echoDefinition: grpc.ServiceDefinition = {
  echo: {
    path: "/bench.Echo/Echo",
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};

export async function startEchoPair(): Promise<{
  url: string;
  /** One echo RPC straight over gRPC, the baseline for calls that skip HTTP. */
  callEcho(message: unknown): Promise<unknown>;
  stop(): Promise<void>;
}> {
  const server = new grpc.Server();
  server.addService(echoDefinition, {
    echo: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) =>
      callback(null, call.request),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const EchoClient = grpc.makeGenericClientConstructor(echoDefinition, "Echo");
  const client = new EchoClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  ) as unknown as grpc.Client & {
    echo: (request: unknown, callback: (error: grpc.ServiceError | null, response: unknown) => void) => void;
  };
  const app = express();
  app.use(express.json());
  app.post("/echo", (request, response) => {
    client.echo(request.body, (error, reply) =>
      error ? response.status(503).end() : response.status(201).json(reply),
    );
  });
  const http = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => http.once("listening", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    callEcho: (message) =>
      new Promise((resolve, reject) =>
        client.echo(message, (error, reply) => (error ? reject(error) : resolve(reply))),
      ),
    async stop() {
      await new Promise((resolve) => http.close(resolve));
      client.close();
      server.forceShutdown();
    },
  };
}
