import { EventEmitter } from "node:events";
import { Metadata, type ServerUnaryCall, status as Status } from "@grpc/grpc-js";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { inProcessCallerTokens } from "./grpc-serving.js";
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
});
