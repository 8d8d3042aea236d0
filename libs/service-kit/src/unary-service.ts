import type { MethodDefinition, UntypedServiceImplementation } from "@grpc/grpc-js";
import type { GrpcServiceRegistration } from "./grpc-server.js";
import { type RpcContext, unaryHandler } from "./unary.js";

// biome-ignore lint/suspicious/noExplicitAny: any request and response type; UnaryHandlers infers each method's own.
type ServiceDefinitionOf = Record<string, MethodDefinition<any, any>>;

/** One use case per method of a generated service definition: the decoded request and the call in, the response out. */
export type UnaryHandlers<Definition extends ServiceDefinitionOf> = {
  [Method in keyof Definition]: Definition[Method] extends MethodDefinition<infer Request, infer Response>
    ? (request: Request, context: RpcContext) => Promise<Response>
    : never;
};

/**
 * A gRPC service from its generated definition (ts-proto's `…ServiceService`) and a handler
 * per method, each wrapped by unaryHandler under the method's full name. The service is
 * registered under the name its methods' paths carry: "/civic.grid_cases.v1.CaseService/GetCase"
 * → "civic.grid_cases.v1.CaseService".
 */
export function unaryService<Definition extends ServiceDefinitionOf>(
  definition: Definition,
  handlers: UnaryHandlers<Definition>,
): GrpcServiceRegistration {
  const implementation: UntypedServiceImplementation = {};
  const serviceNames = new Set<string>();
  for (const [key, { path }] of Object.entries(definition)) {
    const fullName = path.replace(/^\//, "");
    serviceNames.add(fullName.slice(0, fullName.lastIndexOf("/")));
    implementation[key] = unaryHandler(fullName, handlers[key as keyof Definition]);
  }
  const [name, ...others] = serviceNames;
  if (name === undefined || others.length > 0) {
    throw new Error(`a service definition names one service; this one names ${[...serviceNames].join(", ")}`);
  }
  return { name, definition, implementation };
}

/**
 * The answer of a use case that returns one view: the view encoded under the message field
 * `field`. `const topic = replyWith("topic", toProtoTopic)`, then
 * `getTopic: (request) => topic(desk.get(request.topicId))`.
 */
export function replyWith<Field extends string, View, Message>(
  field: Field,
  encode: (view: View) => Message,
) {
  return async (view: Promise<View>) => ({ [field]: encode(await view) }) as { [Key in Field]: Message };
}

/** The answer of a list use case: the page's views encoded under `field`, and the next page's token. */
export function pageWith<Field extends string, View, Message>(field: Field, encode: (view: View) => Message) {
  return async (page: Promise<{ [Key in Field]: View[] } & { nextPageToken: string }>) => {
    const found = await page;
    return { [field]: found[field].map(encode), nextPageToken: found.nextPageToken } as {
      [Key in Field]: Message[];
    } & { nextPageToken: string };
  };
}
