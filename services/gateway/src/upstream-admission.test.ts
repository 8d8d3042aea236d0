import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upstreamAdmission } from "./upstream-admission.js";

const same = (value: Buffer) => value;
const definition = {
  hold: {
    path: "/test.Held/Hold",
    requestStream: false,
    responseStream: false,
    requestSerialize: same,
    requestDeserialize: same,
    responseSerialize: same,
    responseDeserialize: same,
  },
} satisfies grpc.ServiceDefinition;

describe("the gateway's bound on calls in flight to a service", () => {
  const server = new grpc.Server();
  const held: (() => void)[] = [];
  let received = 0;
  let address: string;

  beforeAll(async () => {
    server.addService(definition, {
      hold: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => {
        received += 1;
        held.push(() => callback(null, Buffer.from("done")));
      },
    });
    const port = await new Promise<number>((done, fail) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? fail(error) : done(bound),
      ),
    );
    address = `127.0.0.1:${port}`;
  });
  afterAll(() => server.forceShutdown());

  it("refuses the call past the bound with RESOURCE_EXHAUSTED without sending it, and admits again once calls end", async () => {
    const admission = upstreamAdmission(2);
    const Client = grpc.makeGenericClientConstructor(definition, "Held");
    const client = new Client(address, grpc.credentials.createInsecure(), {
      interceptors: [admission],
    }) as unknown as grpc.Client & {
      hold(
        request: Buffer,
        options: grpc.CallOptions,
        callback: (error: grpc.ServiceError | null) => void,
      ): grpc.ClientUnaryCall;
    };
    const call = () =>
      new Promise<grpc.status>((done) =>
        client.hold(Buffer.from("x"), { deadline: Date.now() + 10_000 }, (error: grpc.ServiceError | null) =>
          done(error ? error.code : grpc.status.OK),
        ),
      );
    const first = [call(), call()];
    await expect.poll(() => received).toBe(2);
    expect(admission.inFlight()).toBe(2);

    expect(grpc.status[await call()]).toBe("RESOURCE_EXHAUSTED");
    expect(received).toBe(2);

    for (const release of held.splice(0)) release();
    expect((await Promise.all(first)).map((code) => grpc.status[code])).toEqual(["OK", "OK"]);
    expect(admission.inFlight()).toBe(0);
    const again = call();
    await expect.poll(() => received).toBe(3);
    held.splice(0)[0]?.();
    expect(grpc.status[await again]).toBe("OK");
    client.close();
  });
});
