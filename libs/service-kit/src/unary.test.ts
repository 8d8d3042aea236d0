import { EventEmitter } from "node:events";
import { Metadata, type ServerUnaryCall, status as Status } from "@grpc/grpc-js";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { configureGrpcServing, grpcServing, inProcessCallerTokens } from "./grpc-serving.js";
import { inFlightCalls } from "./in-flight.js";
import { unaryHandler, useRpcLogger } from "./unary.js";

let metadata: Metadata;

/** Just enough of a grpc-js server call for the handler. */
function fakeCall(deadline: Date | number) {
  const call = Object.assign(new EventEmitter(), {
    request: { caseId: "c-1" },
    metadata,
    getDeadline: () => deadline,
  });
  return call as unknown as ServerUnaryCall<{ caseId: string }, { ok: boolean }>;
}

function invoke(
  handler: ReturnType<typeof unaryHandler<{ caseId: string }, { ok: boolean }>>,
  deadline: Date | number,
) {
  return new Promise<{ error: unknown; value: unknown }>((resolve) =>
    handler(fakeCall(deadline), (error, value) => resolve({ error, value })),
  );
}

describe("unaryHandler", () => {
  beforeAll(async () => {
    useRpcLogger(pino({ level: "silent" }));
    const { issuer } = await inProcessCallerTokens();
    metadata = await issuer.toMetadata({ subject: "resident-1", roles: [], areas: [] }, new Metadata());
  });

  it("refuses a call whose deadline already passed without running the use case", async () => {
    let ran = false;
    const handler = unaryHandler("test.v1.Test/Run", async () => {
      ran = true;
      return { ok: true };
    });
    const { error } = await invoke(handler, new Date(Date.now() - 1));
    expect(error).toMatchObject({ code: Status.DEADLINE_EXCEEDED });
    expect(ran).toBe(false);
  });

  it("runs the use case without a deadline (grpc-js reports Infinity)", async () => {
    let seenDeadline: Date | undefined = new Date();
    const handler = unaryHandler("test.v1.Test/Run", async (_request: { caseId: string }, { deadline }) => {
      seenDeadline = deadline;
      return { ok: true };
    });
    expect(await invoke(handler, Number.POSITIVE_INFINITY)).toEqual({ error: null, value: { ok: true } });
    expect(seenDeadline).toBeUndefined();
  });

  it("refuses a call past the in-flight bound at once with RESOURCE_EXHAUSTED, and admits again once one ends", async () => {
    const bound = grpcServing().maxCallsInFlight;
    configureGrpcServing({ maxCallsInFlight: 2 });
    try {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let ran = 0;
      const handler = unaryHandler("test.v1.Test/Run", async () => {
        ran += 1;
        await held;
        return { ok: true };
      });
      const first = invoke(handler, Number.POSITIVE_INFINITY);
      const second = invoke(handler, Number.POSITIVE_INFINITY);
      await expect.poll(() => ran).toBe(2);
      expect(inFlightCalls.count).toBe(2);
      const refusedAt = performance.now();
      const { error } = await invoke(handler, Number.POSITIVE_INFINITY);
      expect(performance.now() - refusedAt).toBeLessThan(1_000);
      expect(error).toMatchObject({ code: Status.RESOURCE_EXHAUSTED });
      expect(ran).toBe(2);
      release();
      await Promise.all([first, second]);
      expect(await invoke(handler, Number.POSITIVE_INFINITY)).toEqual({ error: null, value: { ok: true } });
      expect(ran).toBe(3);
    } finally {
      configureGrpcServing({ maxCallsInFlight: bound });
    }
  });
});
