import { arrivalToMetadata, type CallerTokenIssuer } from "@civic/service-kit";
import { type CallOptions, type ClientUnaryCall, Metadata, type ServiceError } from "@grpc/grpc-js";
import type { Request, RequestHandler } from "express";
import { callerOf } from "./identity.js";

type UnaryInvoker<Response> = (
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => ClientUnaryCall;

/** Calls a service for an HTTP request: as the request's caller, within a deadline. */
export type GrpcCall = <Response>(request: Request, invoke: UnaryInvoker<Response>) => Promise<Response>;

const arrivals = new WeakMap<Request, number>();

/**
 * Notes when each request arrived, before anything else runs: services compare it with the
 * time of the changes they find, to tell a client that lost a race (409) from one whose
 * command the state never allowed (400).
 */
export const noteArrival: RequestHandler = (request, _response, next) => {
  arrivals.set(request, Date.now());
  next();
};

/**
 * Calls services for HTTP requests. Each call states the request's caller in a token the
 * gateway signs (`callerTokens`); services verify it and trust nothing else about who calls.
 */
export function grpcCaller(options: { deadlineMs: number; callerTokens: CallerTokenIssuer }): GrpcCall {
  return async (request, invoke) => {
    const metadata = new Metadata();
    await options.callerTokens.toMetadata(callerOf(request), metadata);
    arrivalToMetadata(arrivals.get(request) ?? Date.now(), metadata);
    return new Promise((resolve, reject) => {
      invoke(metadata, { deadline: new Date(Date.now() + options.deadlineMs) }, (error, response) =>
        error ? reject(error) : resolve(response),
      );
    });
  };
}
