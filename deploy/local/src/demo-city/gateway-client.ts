/** The answer statuses a demo step accepts: made now, or there already. */
const madeOrThere = new Set([200, 201, 409]);

export interface GatewayClient {
  /**
   * POSTs `body` until it is known to have happened: refusals at capacity are retried with the
   * same Idempotency-Key; a timeout (504, whose replay would say 504 again) with a new one,
   * since every demo step is safe to repeat (a second time answers 409 or changes nothing).
   * Resolves with the status (2xx or 409).
   */
  post(path: string, body: unknown, idempotencyKey: string): Promise<number>;
  /**
   * POSTs what is new each time (the service gives its id), once: a refusal at capacity is
   * retried with the same key, a timeout is an error. Resolves with the 2xx answer's JSON.
   */
  postForJson<T>(path: string, body: unknown, idempotencyKey: string): Promise<T>;
  /**
   * POSTs a step that is refused once it has happened (so never done twice) until it answers
   * 2xx or `done` reads it done: after a timeout (504) `done` is asked, and the step tried again
   * with a new key if it is not.
   */
  postUntilDone(
    path: string,
    body: unknown,
    idempotencyKey: string,
    done: () => Promise<boolean>,
  ): Promise<void>;
  /** POSTs once (refusals at capacity retried with the same key) and resolves with the answer. */
  postOnce(path: string, body: unknown, idempotencyKey: string): Promise<{ status: number; body: unknown }>;
  /** The JSON of a GET, or undefined on 404; a timeout (504) is asked again up to five times. */
  get<T>(path: string): Promise<T | undefined>;
  /** PUTs `body` (a PUT is idempotent by itself) and resolves with the 2xx answer's JSON. */
  put<T>(path: string, body: unknown): Promise<T>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls the gateway as the demo loader. A 429 or 503 (the platform shedding load) is retried
 * after its Retry-After with the same Idempotency-Key, so a retried step happens once.
 */
export function gatewayClient(gatewayUrl: string, authorization: string): GatewayClient {
  const send = async (method: string, path: string, init: RequestInit = {}): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${gatewayUrl}${path}`, {
        ...init,
        method,
        headers: { authorization, "content-type": "application/json", ...init.headers },
      });
      if ((response.status !== 429 && response.status !== 503) || attempt === 10) {
        return response;
      }
      await response.arrayBuffer();
      await pause(Number(response.headers.get("retry-after") ?? "1") * 1_000 * attempt);
    }
  };
  const postOnce: GatewayClient["postOnce"] = async (path, body, idempotencyKey) => {
    const response = await send("POST", path, {
      body: JSON.stringify(body),
      headers: { "idempotency-key": idempotencyKey },
    });
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  };
  return {
    postOnce,
    async postUntilDone(path, body, idempotencyKey, done) {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const key = attempt === 1 ? idempotencyKey : `${idempotencyKey}~${attempt}`;
        const answer = await postOnce(path, body, key);
        if (answer.status === 200 || answer.status === 201 || (await done())) return;
        if (answer.status !== 504)
          throw new Error(`demo city: POST ${path} answered ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      throw new Error(`demo city: POST ${path} timed out five times`);
    },
    async postForJson<T>(path: string, body: unknown, idempotencyKey: string) {
      const answer = await postOnce(path, body, idempotencyKey);
      if (answer.status !== 200 && answer.status !== 201) {
        throw new Error(`demo city: POST ${path} answered ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      return answer.body as T;
    },
    async post(path, body, idempotencyKey) {
      for (let attempt = 1; ; attempt++) {
        const key = attempt === 1 ? idempotencyKey : `${idempotencyKey}~${attempt}`;
        const answer = await postOnce(path, body, key);
        if (answer.status === 504 && attempt < 5) continue;
        if (!madeOrThere.has(answer.status)) {
          throw new Error(`demo city: POST ${path} answered ${answer.status} ${JSON.stringify(answer.body)}`);
        }
        return answer.status;
      }
    },
    async get<T>(path: string) {
      let response = await send("GET", path);
      // A GET changes nothing, so one that timed out (a busy database) is asked again.
      for (let attempt = 2; response.status === 504 && attempt <= 5; attempt++) {
        await response.arrayBuffer();
        await pause(1_000 * attempt);
        response = await send("GET", path);
      }
      if (response.status === 404) return undefined;
      if (!response.ok)
        throw new Error(`demo city: GET ${path} answered ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async put<T>(path: string, body: unknown) {
      const response = await send("PUT", path, { body: JSON.stringify(body) });
      if (!response.ok)
        throw new Error(`demo city: PUT ${path} answered ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}
