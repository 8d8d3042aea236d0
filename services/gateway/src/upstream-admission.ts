import { InterceptingCall, type Interceptor, Metadata, status as Status } from "@grpc/grpc-js";

type InterceptingCallInterface = NonNullable<ConstructorParameters<typeof InterceptingCall>[0]>;

/** What a refused call stands on instead of a real one: it is never sent. */
const unsent: InterceptingCallInterface = {
  cancelWithStatus: () => undefined,
  getPeer: () => "",
  start: () => undefined,
  sendMessageWithContext: () => undefined,
  sendMessage: () => undefined,
  startRead: () => undefined,
  halfClose: () => undefined,
  getAuthContext: () => null,
};

/**
 * Bounds the gateway's calls in flight to one service (give every client of its channel the
 * same interceptor): past `max`, a call is refused at once with RESOURCE_EXHAUSTED (503 +
 * Retry-After, and an Idempotency-Key stays free) without being sent, instead of queueing
 * for a round trip to a service that is as busy and would refuse it too.
 */
export function upstreamAdmission(max: number): Interceptor & { inFlight(): number } {
  let inFlight = 0;
  const interceptor: Interceptor = (options, nextCall) => {
    if (inFlight >= max) {
      return new InterceptingCall(unsent, {
        start(_metadata, listener) {
          setImmediate(() =>
            listener.onReceiveStatus({
              code: Status.RESOURCE_EXHAUSTED,
              details: `the gateway has ${max} calls in flight to this service; retry shortly`,
              metadata: new Metadata(),
            }),
          );
        },
        sendMessage: () => undefined,
        halfClose: () => undefined,
      });
    }
    return new InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        inFlight += 1;
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            inFlight -= 1;
            nextStatus(status);
          },
        });
      },
    });
  };
  return Object.assign(interceptor, { inFlight: () => inFlight });
}
