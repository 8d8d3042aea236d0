import { EventEmitter } from "node:events";
import { Metadata, type MethodDefinition, type ServerUnaryCall } from "@grpc/grpc-js";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { inProcessCallerTokens } from "./grpc-serving.js";
import { useRpcLogger } from "./unary.js";
import { pageWith, replyWith, unaryService } from "./unary-service.js";

interface Echo {
  text: string;
}

/** Enough of a generated definition for unaryService: a path per method. */
function methodAt(path: string): MethodDefinition<Echo, Echo> {
  const json = (value: Echo) => Buffer.from(JSON.stringify(value));
  const parse = (buffer: Buffer): Echo => JSON.parse(buffer.toString());
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: json,
    requestDeserialize: parse,
    responseSerialize: json,
    responseDeserialize: parse,
  };
}

const echoDefinition = {
  say: methodAt("/test.v1.EchoService/Say"),
  shout: methodAt("/test.v1.EchoService/Shout"),
};

let metadata: Metadata;

function call(handler: unknown, request: Echo) {
  const serverCall = Object.assign(new EventEmitter(), {
    request,
    metadata,
    getDeadline: () => Number.POSITIVE_INFINITY,
  }) as unknown as ServerUnaryCall<Echo, Echo>;
  return new Promise<{ error: unknown; value: unknown }>((resolve) =>
    (
      handler as (
        call: ServerUnaryCall<Echo, Echo>,
        callback: (error: unknown, value: unknown) => void,
      ) => void
    )(serverCall, (error, value) => resolve({ error, value })),
  );
}

describe("unaryService", () => {
  beforeAll(async () => {
    useRpcLogger(pino({ level: "silent" }));
    const { issuer } = await inProcessCallerTokens();
    metadata = await issuer.toMetadata({ subject: "resident-1", roles: [], areas: [] }, new Metadata());
  });

  it("registers the service under the name its paths carry, with the definition it was given", () => {
    const service = unaryService(echoDefinition, {
      say: async (request) => request,
      shout: async (request) => ({ text: request.text.toUpperCase() }),
    });
    expect(service.name).toBe("test.v1.EchoService");
    expect(service.definition).toBe(echoDefinition);
    expect(Object.keys(service.implementation)).toEqual(["say", "shout"]);
  });

  it("answers each method with its own handler, given the verified caller", async () => {
    const service = unaryService(echoDefinition, {
      say: async (request, { caller }) => ({ text: `${caller.subject}: ${request.text}` }),
      shout: async (request) => ({ text: request.text.toUpperCase() }),
    });
    expect(await call(service.implementation.say, { text: "hello" })).toEqual({
      error: null,
      value: { text: "resident-1: hello" },
    });
    expect(await call(service.implementation.shout, { text: "hello" })).toEqual({
      error: null,
      value: { text: "HELLO" },
    });
  });

  it("refuses a definition whose methods name two services", () => {
    const mixed = {
      say: methodAt("/test.v1.EchoService/Say"),
      other: methodAt("/test.v1.OtherService/Other"),
    };
    expect(() =>
      unaryService(mixed, { say: async (request) => request, other: async (request) => request }),
    ).toThrow(/names test.v1.EchoService, test.v1.OtherService/);
  });
});

describe("replyWith and pageWith", () => {
  const toMessage = (view: { id: string; secret: string }) => ({ id: view.id.toUpperCase() });

  it("encodes the view a use case returns under the message's field", async () => {
    const reply = replyWith("thing", toMessage);
    expect(await reply(Promise.resolve({ id: "a", secret: "s" }))).toEqual({ thing: { id: "A" } });
  });

  it("encodes every view of a page and keeps its next page token", async () => {
    const page = pageWith("things", toMessage);
    const found = Promise.resolve({
      things: [
        { id: "a", secret: "s" },
        { id: "b", secret: "t" },
      ],
      nextPageToken: "next",
    });
    expect(await page(found)).toEqual({ things: [{ id: "A" }, { id: "B" }], nextPageToken: "next" });
  });

  it("passes a failed use case on", async () => {
    const reply = replyWith("thing", toMessage);
    await expect(reply(Promise.reject(new Error("not found")))).rejects.toThrow("not found");
  });
});
