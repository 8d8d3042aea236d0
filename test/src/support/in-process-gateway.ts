import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Serves `app` (a gateway app) on a free port of 127.0.0.1; `close` stops taking connections. */
export async function serveOnFreePort(app: { listen(port: number, host: string): Server }) {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** One JSON call to a gateway; an empty or absent authorization is the anonymous caller. */
export async function jsonCall(
  baseUrl: string,
  method: string,
  path: string,
  authorization?: string,
  body?: unknown,
) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    location: response.headers.get("location"),
    // biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary JSON answers
    body: (await response.json()) as Record<string, any>,
  };
}
