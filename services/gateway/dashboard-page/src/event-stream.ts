/** One domain event as `GET /api/v1/event-stream` sends it. */
export interface StreamEvent {
  id: string;
  type: string;
  areaId: string;
  time: string;
  data: Record<string, unknown>;
}

export type StreamState = "connecting" | "live" | "refused";

export interface StreamHandlers {
  onEvent(event: StreamEvent): void;
  /** `live` again after a reconnection means events may have been missed: reload the figures. */
  onState(state: StreamState, detail?: string): void;
}

const reconnectAfterMs = 3_000;

/**
 * Follows the gateway's server-sent events. The browser's EventSource cannot send an
 * Authorization header, so this reads the stream with fetch and parses the frames itself.
 * Returns a function that stops following.
 */
export function followEventStream(url: string, token: string, handlers: StreamHandlers): () => void {
  const stopping = new AbortController();
  const follow = async () => {
    while (!stopping.signal.aborted) {
      handlers.onState("connecting");
      try {
        const response = await fetch(url, {
          headers: { accept: "text/event-stream", authorization: `Bearer ${token}` },
          signal: stopping.signal,
        });
        if (response.status === 401 || response.status === 403) {
          handlers.onState("refused", `HTTP ${response.status}`);
          return;
        }
        if (response.ok && response.body) {
          handlers.onState("live");
          await readFrames(response.body, handlers.onEvent);
        }
      } catch (error) {
        if (stopping.signal.aborted) return;
        console.warn("event stream interrupted", error);
      }
      await new Promise((resolve) => setTimeout(resolve, reconnectAfterMs));
    }
  };
  void follow();
  return () => stopping.abort();
}

async function readFrames(body: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => void) {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let end = buffered.indexOf("\n\n");
    while (end >= 0) {
      const event = parseFrame(buffered.slice(0, end));
      if (event) onEvent(event);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf("\n\n");
    }
  }
}

/** An SSE frame's `data:` lines, joined; comments and `retry:` frames carry no event. */
function parseFrame(frame: string): StreamEvent | undefined {
  const data = frame
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trimStart())
    .join("\n");
  return data === "" ? undefined : (JSON.parse(data) as StreamEvent);
}
