import { connect, type Socket } from "node:net";

/**
 * Sends one request many times at once, from its own process, over connections opened (and
 * warmed with a GET /healthz) beforehand, so that every copy reaches the server within a few
 * milliseconds; a client in the test's own process would be paced by the server's event loop.
 * It writes HTTP/1.1 itself, each copy's bytes prepared before the first is sent, and reads
 * only what an answer needs (status, Content-Length or chunks, Retry-After): with Node's HTTP
 * client, building and parsing a thousand messages in this one event loop added about 100 ms
 * to the latencies it reported. Started by `burst.ts` with the plan as JSON on stdin; prints
 * the answers as JSON.
 */
export interface BurstPlan {
  url: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  copies: number;
  /** Per copy: headers added to `headers` and a body instead of `body` (e.g. one caller each). */
  variants?: { headers?: Record<string, string>; body?: unknown }[];
}

export interface BurstAnswer {
  /** The HTTP status; 0 when the connection failed (body: the error code, e.g. ECONNRESET). */
  status: number;
  body: unknown;
  /** Milliseconds from writing the request to the end of its answer. */
  ms: number;
  /** The Retry-After header, if the answer had one. */
  retryAfter?: string;
}

/** One request as bytes on the wire. */
function requestBytes(
  url: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body ?? ""}`);
}

/** The answer's head and body once `received` holds all of it, else undefined. */
function completeAnswer(received: Buffer): { head: string; body: Buffer } | undefined {
  const headEnd = received.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const head = received.subarray(0, headEnd).toString("latin1");
  const rest = received.subarray(headEnd + 4);
  const length = /^content-length: *(\d+)/im.exec(head)?.[1];
  if (length !== undefined) {
    return rest.length >= Number(length) ? { head, body: rest.subarray(0, Number(length)) } : undefined;
  }
  if (!/^transfer-encoding: *chunked/im.test(head)) return { head, body: rest };
  const chunks: Buffer[] = [];
  for (let at = 0; ; ) {
    const sizeEnd = rest.indexOf("\r\n", at);
    if (sizeEnd < 0) return undefined;
    const size = Number.parseInt(rest.subarray(at, sizeEnd).toString("latin1"), 16);
    if (size === 0)
      return rest.indexOf("\r\n\r\n", sizeEnd) >= 0 ? { head, body: Buffer.concat(chunks) } : undefined;
    if (rest.length < sizeEnd + 2 + size + 2) return undefined;
    chunks.push(rest.subarray(sizeEnd + 2, sizeEnd + 2 + size));
    at = sizeEnd + 2 + size + 2;
  }
}

/** Writes `request` on `socket` and reads its whole answer. */
function exchange(socket: Socket, request: Buffer): Promise<BurstAnswer> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const sent = performance.now();
    const finish = (answer: BurstAnswer) => {
      socket.off("data", onData).off("error", onError).off("close", onClose);
      resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = completeAnswer(received);
      if (!answer) return;
      const text = answer.body.toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      const retryAfter = /^retry-after: *(.*)$/im.exec(answer.head)?.[1]?.trim();
      finish({
        status: Number(answer.head.slice(9, 12)),
        body,
        ms: performance.now() - sent,
        ...(retryAfter === undefined ? {} : { retryAfter }),
      });
    };
    // A connection refused or reset is an answer too (status 0), not the end of the burst.
    const onError = (error: NodeJS.ErrnoException) =>
      finish({ status: 0, body: error.code ?? error.message, ms: performance.now() - sent });
    const onClose = () => finish({ status: 0, body: "ECONNRESET", ms: performance.now() - sent });
    socket.on("data", onData).on("error", onError).on("close", onClose);
    socket.write(request);
  });
}

function open(url: URL): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 80), url.hostname, () => resolve(socket));
    socket.setNoDelay(true);
    socket.once("error", reject);
  });
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const plan = JSON.parse(Buffer.concat(chunks).toString("utf8")) as BurstPlan;
  const url = new URL(plan.url);
  const sockets = await Promise.all(Array.from({ length: plan.copies }, () => open(url)));
  const warmUp = requestBytes(url, "GET", "/healthz", {});
  await Promise.all(sockets.map((socket) => exchange(socket, warmUp)));
  const requests = sockets.map((_, index) => {
    const variant = plan.variants?.[index];
    const body = variant?.body ?? plan.body;
    const headers = { ...plan.headers, ...variant?.headers };
    return requestBytes(
      url,
      plan.method,
      plan.path,
      headers,
      body === undefined ? undefined : JSON.stringify(body),
    );
  });
  const answers = await Promise.all(
    sockets.map((socket, index) => exchange(socket, requests[index] as Buffer)),
  );
  for (const socket of sockets) socket.destroy();
  process.stdout.write(JSON.stringify(answers));
}

await main();
