import { contractViolation } from "./response-contract.js";

/**
 * A small JSON client for a gateway under test; an answer the OpenAPI document disagrees with throws.
 * The base URL may be given as a function, for a gateway that starts after the client is made.
 */
export function httpClient(baseUrl: string | (() => string)) {
  const urlOf = (path: string) => `${typeof baseUrl === "string" ? baseUrl : baseUrl()}${path}`;
  const send = async (method: string, path: string, body?: unknown, authorization?: string) => {
    const response = await fetch(urlOf(path), {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(authorization ? { authorization } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: test responses are checked field by field
    const json: any = text === "" ? undefined : JSON.parse(text);
    const violation = contractViolation(method, path, response.status, json);
    if (violation) throw new Error(violation);
    return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: json };
  };
  return {
    get: (path: string, authorization?: string) => send("GET", path, undefined, authorization),
    post: (path: string, body: unknown, authorization?: string) => send("POST", path, body, authorization),
    put: (path: string, body: unknown, authorization?: string) => send("PUT", path, body, authorization),
    delete: (path: string, authorization?: string) => send("DELETE", path, undefined, authorization),
  };
}
