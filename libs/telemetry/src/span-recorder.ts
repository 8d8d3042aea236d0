import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace";

export interface SpanRecorder {
  /** Pass to initTelemetry({ spanProcessors: [recorder.processor] }). */
  processor: SpanProcessor;
  /** Every span ended so far, oldest first. */
  finishedSpans(): ReadableSpan[];
  reset(): void;
}

/** Keeps ended spans in memory, for tests that assert on traces. */
export function createSpanRecorder(): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  return {
    processor: new SimpleSpanProcessor({ exporter }),
    finishedSpans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
  };
}

export type { ReadableSpan };
