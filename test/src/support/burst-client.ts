import { Agent, request } from "node:http";

/**
 * Sends one request many times at once, from its own process, over connections opened
 * beforehand, so that every copy reaches the server within a few milliseconds; a client in
 * the test's own process would be paced by the server's event loop. Started by `burst.ts`
 * with the plan as JSON on stdin; prints the answers as JSON.
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
  /** Milliseconds from sending the request to the end of its answer. */
  ms: number;
  /** The Retry-After header, if the answer had one. */
  retryAfter?: string;
}

function send(
  plan: BurstPlan,
  agent: Agent,
  path: string,
  method: string,
  body?: string,
  headers: Record<string, string> = plan.headers,
): Promise<BurstAnswer> {
  return new Promise((resolve) => {
    const sent = performance.now();
    const outgoing = request(new URL(path, plan.url), { method, agent, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        const retryAfter = incoming.headers["retry-after"];
        resolve({
          status: incoming.statusCode ?? 0,
          body: parsed,
          ms: performance.now() - sent,
          ...(retryAfter === undefined ? {} : { retryAfter }),
        });
      });
    });
    // A connection refused or reset is an answer too (status 0), not the end of the burst.
    outgoing.on("error", (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, body: error.code ?? error.message, ms: performance.now() - sent }),
    );
    outgoing.end(body);
  });
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const plan = JSON.parse(Buffer.concat(chunks).toString("utf8")) as BurstPlan;
  // Every warmed connection stays open for the burst (an agent keeps 256 idle ones by default).
  const agent = new Agent({ keepAlive: true, maxSockets: plan.copies, maxFreeSockets: plan.copies });
  await Promise.all(Array.from({ length: plan.copies }, () => send(plan, agent, "/healthz", "GET")));
  const copies = Array.from({ length: plan.copies }, (_, index) => {
    const variant = plan.variants?.[index];
    const body = variant?.body ?? plan.body;
    return {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...plan.headers, ...variant?.headers },
    };
  });
  const answers = await Promise.all(
    copies.map((copy) => send(plan, agent, plan.path, plan.method, copy.body, copy.headers)),
  );
  agent.destroy();
  process.stdout.write(JSON.stringify(answers));
}

await main();
