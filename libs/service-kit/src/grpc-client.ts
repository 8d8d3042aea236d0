import { injectTraceContext, SpanKind, withSpan } from "@civic/telemetry";
import { InterceptingCall, type Interceptor, type Metadata } from "@grpc/grpc-js";

/**
 * Client interceptors every service client uses: each call becomes a CLIENT span whose
 * W3C trace context travels in the call's metadata.
 */
export function clientInterceptors(): Interceptor[] {
  return [tracingInterceptor];
}

const tracingInterceptor: Interceptor = (options, nextCall) =>
  new InterceptingCall(nextCall(options), {
    start(metadata: Metadata, _listener, next) {
      let finish: () => void = () => undefined;
      const spanDone = new Promise<void>((resolve) => {
        finish = resolve;
      });
      void withSpan(options.method_definition.path, { kind: SpanKind.CLIENT }, async () => {
        const carrier: Record<string, string> = {};
        injectTraceContext(carrier);
        for (const [key, value] of Object.entries(carrier)) metadata.set(key, value);
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            finish();
            nextStatus(status);
          },
        });
        await spanDone;
      });
    },
  });
