/** The gateway's event stream (`GET /api/v1/event-stream`) as a dashboard reads it. */

export interface ReceivedEvent {
  id: string;
  event: string;
  data: { type: string; subject: string; areaId: string; data: Record<string, unknown> };
}

/** An open event stream: the events received so far, and how to close it. */
export async function openEventStream(url: string, token: string) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { authorization: token }, signal: controller.signal });
  const received: ReceivedEvent[] = [];
  const reading = (async () => {
    if (!response.body || response.status !== 200) return;
    const decoder = new TextDecoder();
    let buffered = "";
    try {
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let end = buffered.indexOf("\n\n"); end >= 0; end = buffered.indexOf("\n\n")) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split("\n")
              .filter((line) => !line.startsWith(":") && line.includes(": "))
              .map((line) => [line.slice(0, line.indexOf(": ")), line.slice(line.indexOf(": ") + 2)]),
          );
          if (fields.data)
            received.push({
              id: fields.id,
              event: fields.event,
              data: JSON.parse(fields.data),
            } as ReceivedEvent);
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    response,
    received,
    async close() {
      controller.abort();
      await reading;
    },
  };
}
