import { type Caller, callerToMetadata } from "@civic/service-kit";
import { type CallOptions, type ClientUnaryCall, Metadata, type ServiceError } from "@grpc/grpc-js";
import type { Request } from "express";

type UnaryInvoker<Response> = (
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => ClientUnaryCall;

/** Calls a service for an HTTP request: with the caller's identity and a deadline. */
export type GrpcCall = <Response>(request: Request, invoke: UnaryInvoker<Response>) => Promise<Response>;

/**
 * Until JWT verification arrives (the gateway issue), every request is an anonymous
 * member of the public, which may submit and read cases.
 */
export const anonymousCaller: Caller = { subject: "anonymous", roles: ["public"], areas: [] };

export function grpcCaller({ deadlineMs }: { deadlineMs: number }): GrpcCall {
  return (_request, invoke) =>
    new Promise((resolve, reject) => {
      const metadata = new Metadata();
      callerToMetadata(anonymousCaller, metadata);
      invoke(metadata, { deadline: new Date(Date.now() + deadlineMs) }, (error, response) =>
        error ? reject(error) : resolve(response),
      );
    });
}
