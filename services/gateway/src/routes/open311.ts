import {
  type DiscoverySettings,
  type Format,
  fieldErrors,
  geoReportResources,
  type Open311Error,
  Open311Failure,
  open311Base,
  xmlDocument,
} from "@civic/open311";
import type { Client } from "@grpc/grpc-js";
import { type ErrorRequestHandler, type Request, type Response, Router } from "express";
import type { Logger } from "pino";
import { problemFromError } from "../error-problem.js";
import type { GrpcCall } from "../grpc-call.js";
import { InvalidTokenError } from "../identity.js";
import { problemTypes } from "../problem.js";

const formatOf = (request: Request): Format => (request.path.endsWith(".xml") ? "xml" : "json");

/** An answer in `format`; in XML, `root` is the document element (a list's or an object's). */
function send(response: Response, format: Format, root: string, body: unknown, status = 200) {
  response.status(status);
  if (format === "json") response.json(body);
  else response.type("text/xml; charset=utf-8").send(xmlDocument(root, body));
}

const sendErrors = (request: Request, response: Response, code: number, errors: Open311Error[]) => {
  send(response, formatOf(request), "errors", errors, code);
};

/** Path parameters as text (Express 5 gives string | string[] for repeated names). */
const textParameters = (request: Request) =>
  Object.fromEntries(
    Object.entries(request.params).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );

/**
 * The `api_key` an Open311 client sends (query string, or form or JSON body): a token the
 * platform issued, read as if it came as `Authorization: Bearer`.
 */
export function open311ApiKey(request: Request): string | undefined {
  if (!request.path.startsWith(`${open311Base}/`)) return undefined;
  const fromBody: unknown = (request.body as Record<string, unknown> | undefined)?.api_key;
  const key: unknown = request.query.api_key ?? fromBody;
  if (key === undefined) return undefined;
  return typeof key === "string" ? key : "";
}

export interface Open311RoutesOptions {
  /** grid-cases' client. */
  gridCases: Client;
  call: GrpcCall;
  discovery: DiscoverySettings;
}

/** Every GeoReport v2 resource (@civic/open311) as `.xml` and `.json`, calling grid-cases as the caller. */
export function open311Routes({ gridCases, call, discovery }: Open311RoutesOptions): Router {
  const router = Router();
  for (const resource of geoReportResources(discovery)) {
    for (const format of ["xml", "json"] as const) {
      const path = `${open311Base}${resource.path.replace(/\{(\w+)\}/g, ":$1")}.${format}`;
      router[resource.method](path, async (request, response) => {
        if (
          resource.method === "post" &&
          request.body === undefined &&
          Number(request.get("content-length") ?? 0) > 0
        ) {
          throw Open311Failure.of(
            400,
            "send the parameters as application/x-www-form-urlencoded or application/json",
          );
        }
        const answer = await resource.answer({
          format,
          pathParameters: textParameters(request),
          query: request.query,
          body: request.body,
          origin: `${request.protocol}://${request.get("host")}`,
          url: request.originalUrl,
          gridCases: (rpc, input) => call(request, gridCases, rpc, input),
        });
        if (answer.location) response.location(answer.location);
        if (answer.nextPage) response.links({ next: answer.nextPage });
        send(response, format, answer.root, answer.body, answer.status);
      });
    }
  }
  router.use(open311Base, (request, response) => {
    const description = `no Open311 resource ${request.method} ${request.path}; resources end in .xml or .json`;
    sendErrors(request, response, 404, [{ code: 404, description }]);
  });
  return router;
}

/** Errors of the Open311 routes in the spec's shape, `[{code, description}]`, never problem+json. */
export function open311Errors(logger: Logger): ErrorRequestHandler {
  return (error, request, response, next) => {
    if (!request.path.startsWith(`${open311Base}/`)) return next(error);
    if (error instanceof Open311Failure) return sendErrors(request, response, error.code, error.errors);
    // The spec: "403 - Invalid api_key received"; a bad Authorization header stays 401.
    if (error instanceof InvalidTokenError && error.source === "api_key")
      return sendErrors(request, response, 403, [{ code: 403, description: error.message }]);
    const problem = problemFromError(error, request, response, logger);
    if (problem.status < 500 && problem.errors?.length)
      return sendErrors(request, response, problem.status, fieldErrors(problem.status, problem.errors));
    // A failure's detail may be the service's own words: clients get only its title.
    const description =
      problem.status >= 500
        ? problem.title
        : problem.type === problemTypes.malformedJson
          ? "the body is not valid JSON"
          : problem.detail;
    return sendErrors(request, response, problem.status, [{ code: problem.status, description }]);
  };
}
