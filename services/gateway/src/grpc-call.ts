import { callerToMetadata } from "@civic/service-kit";
import { type CallOptions, type ClientUnaryCall, Metadata, type ServiceError } from "@grpc/grpc-js";
import type { Request } from "express";
import { callerOf } from "./identity.js";

type UnaryInvoker<Response> = (
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => ClientUnaryCall;

/** Calls a service for an HTTP request: as the request's caller, within a deadline. */
export type GrpcCall = <Response>(request: Request, invoke: UnaryInvoker<Response>) => Promise<Response>;

export function grpcCaller(options: { deadlineMs: number }): GrpcCall {
  return async (request, invoke) =>
    new Promise((resolve, reject) => {
      const metadata = new Metadata();
      callerToMetadata(callerOf(request), metadata);
      invoke(metadata, { deadline: new Date(Date.now() + options.deadlineMs) }, (error, response) =>
        error ? reject(error) : resolve(response),
      );
    });
}
