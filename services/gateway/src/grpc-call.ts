import { arrivalToMetadata, type CallerTokenIssuer } from "@civic/service-kit";
import { type Client, Metadata } from "@grpc/grpc-js";
import type { Request, RequestHandler } from "express";
import { callerOf } from "./identity.js";

/** A unary RPC as a plain client calls it: a generated method definition, or raw bytes both ways. */
export interface UnaryRpc<Input, Output> {
  path: string;
  requestSerialize(input: Input): Buffer;
  responseDeserialize(bytes: Buffer): Output;
}

/** Calls a service's RPC for an HTTP request: as the request's caller, within a deadline. */
export type GrpcCall = <Input, Output>(
  request: Request,
  client: Client,
  rpc: UnaryRpc<Input, Output>,
  input: Input,
) => Promise<Output>;

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
  return async <Input, Output>(
    request: Request,
    client: Client,
    rpc: UnaryRpc<Input, Output>,
    input: Input,
  ) => {
    const metadata = new Metadata();
    await options.callerTokens.toMetadata(callerOf(request), metadata);
    arrivalToMetadata(arrivals.get(request) ?? Date.now(), metadata);
    const deadline = new Date(Date.now() + options.deadlineMs);
    return new Promise<Output>((resolve, reject) => {
      client.makeUnaryRequest(
        rpc.path,
        rpc.requestSerialize,
        rpc.responseDeserialize,
        input,
        metadata,
        { deadline },
        // A unary call that ends without an error has a response.
        (error, response) => (error ? reject(error) : resolve(response as Output)),
      );
    });
  };
}
