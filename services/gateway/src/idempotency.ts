import { createHash } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import { type NatsConnection, nanos } from "@nats-io/transport-node";
import type { RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { callerOf } from "./identity.js";
import { invalidRequest, problemTypes, sendProblem } from "./problem.js";

/** The first response to a POST, as a retry with the same key gets it back. */
interface StoredResponse {
  status: number;
  contentType?: string;
  location?: string;
  body: string;
}

type IdempotencyRecord =
  | { state: "running"; fingerprint: string; startedAt: number }
  | { state: "done"; fingerprint: string; response: StoredResponse };

/** What a request with a key may do: run (it holds the key), replay, neither, or answer 504 (abandoned). */
type Claim =
  | { outcome: "run"; revision: number }
  | { outcome: "abandoned"; revision: number }
  | { outcome: "replay"; response: StoredResponse }
  | { outcome: "reused-with-another-body" }
  | { outcome: "still-running" };

/**
 * Idempotency keys in a NATS KV bucket. The first request with a key creates its record
 * (`create` succeeds for one writer only, so racing retries cannot both run); the response is
 * stored on the record when the request finishes. A record still "running" after
 * `staleAfterMs` belongs to a gateway that died mid-request, perhaps after the work was done:
 * the next retry takes it over (compare-and-set) to store a 504, never to run it again.
 */
export class IdempotencyRecords {
  private constructor(
    private readonly bucket: KV,
    private readonly staleAfterMs: number,
  ) {}

  /**
   * Opens the bucket, creating it with these replicas and size cap (and the TTL as its
   * retention), or bringing an existing one to them: its stream `KV_<bucket>` is updated.
   */
  static async open(
    nats: NatsConnection,
    options: { bucket: string; ttlMs: number; staleAfterMs: number; replicas?: number; maxBytes?: number },
  ): Promise<IdempotencyRecords> {
    const limits = { replicas: options.replicas ?? 1, maxBytes: options.maxBytes ?? -1 };
    const bucket = await new Kvm(nats).create(options.bucket, {
      ttl: options.ttlMs,
      history: 1,
      replicas: limits.replicas,
      max_bytes: limits.maxBytes,
    });
    const jsm = await jetstreamManager(nats);
    const stream = `KV_${options.bucket}`;
    const { config } = await jsm.streams.info(stream);
    const wanted = {
      num_replicas: limits.replicas,
      max_bytes: limits.maxBytes,
      max_age: nanos(options.ttlMs),
    };
    if (Object.entries(wanted).some(([field, value]) => config[field as keyof typeof wanted] !== value)) {
      await jsm.streams.update(stream, wanted);
    }
    return new IdempotencyRecords(bucket, options.staleAfterMs);
  }

  async claim(key: string, fingerprint: string): Promise<Claim> {
    const running = (): IdempotencyRecord => ({ state: "running", fingerprint, startedAt: Date.now() });
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        return { outcome: "run", revision: await this.bucket.create(key, JSON.stringify(running())) };
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
      const entry = await this.bucket.get(key);
      if (entry?.operation !== "PUT") continue;
      const record = entry.json<IdempotencyRecord>();
      if (record.fingerprint !== fingerprint) return { outcome: "reused-with-another-body" };
      if (record.state === "done") return { outcome: "replay", response: record.response };
      if (Date.now() - record.startedAt < this.staleAfterMs) return { outcome: "still-running" };
      try {
        return {
          outcome: "abandoned",
          revision: await this.bucket.update(key, JSON.stringify(running()), entry.revision),
        };
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
    }
    return { outcome: "still-running" };
  }

  async finish(key: string, revision: number, fingerprint: string, response: StoredResponse): Promise<void> {
    const record: IdempotencyRecord = { state: "done", fingerprint, response };
    await this.bucket.update(key, JSON.stringify(record), revision);
  }

  /** Frees the key after a failure that changed nothing, so a retry runs again. */
  async release(key: string, revision: number): Promise<void> {
    await this.bucket.delete(key, { previousSeq: revision });
  }
}

function isWrongLastSequence(error: unknown): boolean {
  return error instanceof Error && /wrong last sequence/i.test(error.message);
}

const keyFormat = /^[\x21-\x7e]{1,255}$/;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * `Idempotency-Key` on POST (IETF draft-ietf-httpapi-idempotency-key-header): a retry with the
 * same key, caller, path and body gets the first response back (with `Idempotent-Replayed:
 * true`) and runs nothing; the same key with another body is 422; a retry while the first is
 * still running waits up to `waitMs`, then gets 409. A 502 or 503 (the service was not reached)
 * frees the key; every other response, 504 included (the outcome is unknown), is kept. A retry
 * of a request whose gateway stopped mid-call gets 504 as well, kept, and nothing runs.
 */
export function idempotentPosts(
  records: IdempotencyRecords,
  options: { waitMs: number; logger: Logger },
): RequestHandler {
  return async (request, response, next) => {
    const key = request.method === "POST" ? request.get("Idempotency-Key") : undefined;
    if (key === undefined) return next();
    if (!keyFormat.test(key)) {
      return sendProblem(
        response,
        invalidRequest(request.originalUrl, [
          { field: "Idempotency-Key", detail: "must be 1 to 255 visible ASCII characters" },
        ]),
      );
    }
    const recordKey = sha256(`${callerOf(request).subject}\n${request.originalUrl}\n${key}`);
    const fingerprint = sha256(JSON.stringify(request.body ?? null));
    const claim = await claimWaiting(records, recordKey, fingerprint, options.waitMs);
    const keepAnswer = (revision: number) =>
      whenSent(response, (stored) => {
        const saved =
          stored.status === 502 || stored.status === 503
            ? records.release(recordKey, revision)
            : records.finish(recordKey, revision, fingerprint, stored);
        saved.catch((error: unknown) =>
          options.logger.warn({ err: error, path: request.path }, "could not store an idempotent response"),
        );
      });
    switch (claim.outcome) {
      case "replay":
        return replay(response, claim.response);
      case "reused-with-another-body":
        return sendProblem(response, {
          type: problemTypes.idempotencyKeyReused,
          title: "The Idempotency-Key was used for another request",
          status: 422,
          detail: "A request with this Idempotency-Key had a different body; use a new key",
          instance: request.originalUrl,
        });
      case "still-running":
        response.setHeader("Retry-After", "1");
        return sendProblem(response, {
          type: problemTypes.conflict,
          title: "A request with this Idempotency-Key is still running",
          status: 409,
          detail: "Retry after the first request has finished",
          instance: request.originalUrl,
        });
      case "abandoned":
        keepAnswer(claim.revision);
        return sendProblem(response, {
          type: problemTypes.timeout,
          title: "The gateway running this request stopped before answering",
          status: 504,
          detail: "Whether it was carried out is unknown: read the resource before trying with a new key",
          instance: request.originalUrl,
        });
      case "run":
        keepAnswer(claim.revision);
        return next();
    }
  };
}

async function claimWaiting(records: IdempotencyRecords, key: string, fingerprint: string, waitMs: number) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const claim = await records.claim(key, fingerprint);
    if (claim.outcome !== "still-running" || Date.now() >= deadline) return claim;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function replay(response: Response, stored: StoredResponse): void {
  response.status(stored.status).setHeader("Idempotent-Replayed", "true");
  if (stored.contentType) response.setHeader("Content-Type", stored.contentType);
  if (stored.location) response.setHeader("Location", stored.location);
  response.send(stored.body);
}

/** Captures the body the route sends and hands the whole response over once it is sent. */
function whenSent(response: Response, sent: (stored: StoredResponse) => void): void {
  let body = "";
  const send = response.send.bind(response);
  response.send = (chunk?: unknown) => {
    if (typeof chunk === "string") body = chunk;
    else if (Buffer.isBuffer(chunk)) body = chunk.toString("utf8");
    return send(chunk);
  };
  response.once("finish", () => {
    const contentType = response.getHeader("Content-Type");
    const location = response.getHeader("Location");
    sent({
      status: response.statusCode,
      body,
      ...(typeof contentType === "string" ? { contentType } : {}),
      ...(typeof location === "string" ? { location } : {}),
    });
  });
}

/** A gateway without a record store must not pretend to honour keys. */
export const idempotencyKeysUnsupported: RequestHandler = (request, response, next) => {
  if (request.method !== "POST" || request.get("Idempotency-Key") === undefined) return next();
  sendProblem(
    response,
    invalidRequest(request.originalUrl, [
      { field: "Idempotency-Key", detail: "this gateway keeps no idempotency records" },
    ]),
  );
};
