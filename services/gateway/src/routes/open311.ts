import { enumNames, gridCasesV1 } from "@civic/contracts";
import { areaCovers } from "@civic/service-kit";
import { type Client, status as GrpcStatus } from "@grpc/grpc-js";
import { type ErrorRequestHandler, type Request, type RequestHandler, type Response, Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import { problemFromError } from "../error-problem.js";
import type { GrpcCall } from "../grpc-call.js";
import { isGrpcError } from "../grpc-problem.js";
import { InvalidTokenError } from "../identity.js";
import { problemTypes } from "../problem.js";
import { commaList, isoInstant, validate } from "../validation.js";
import {
  closedStatuses,
  fieldErrors,
  geoReportSpecification,
  type Open311Error,
  openStatuses,
  serviceDefinitionOf,
  serviceNoticeOf,
  serviceOf,
  serviceRequestOf,
} from "./open311-format.js";
import { xmlDocument } from "./open311-xml.js";

const { CaseServiceService: caseRpcs, AreaServiceService: areaRpcs } = gridCasesV1;

/** Where the GeoReport v2 interface is mounted. */
export const open311Base = "/open311/v2";

/** Discovery's contact and key service when the deployment names none. */
export const open311Defaults = {
  contact: "12345 政务服务便民热线 (12345 government service hotline)",
  keyService: "Ask the district command centre for a platform token",
};

/** When this interface last changed, for discovery's `changeset`. */
const changeset = "2026-12-03T00:00:00+08:00";
/** How many pages deep `page` may reach (each page before it is one more read). */
const maxPage = 20;
/** The spec's default window for listing requests. */
const defaultWindowMs = 90 * 24 * 3_600_000;

/** A GeoReport error answer: its HTTP status and the `[{code, description}]` list. */
class Open311Failure extends Error {
  constructor(
    readonly code: number,
    readonly errors: Open311Error[],
  ) {
    super(errors.map((error) => error.description).join("; "));
  }

  static of(code: number, description: string): Open311Failure {
    return new Open311Failure(code, [{ code, description }]);
  }
}

/** The spec's two formats, chosen by the resource's extension (`services.xml`, `services.json`). */
type Format = "json" | "xml";
const formatOf = (request: Request): Format => (request.path.endsWith(".xml") ? "xml" : "json");

/** An answer in the request's format; in XML, `root` is the document element (a list's or an object's). */
function answer(request: Request, response: Response, root: string, body: unknown, status = 200) {
  response.status(status);
  if (formatOf(request) === "json") response.json(body);
  else response.type("text/xml; charset=utf-8").send(xmlDocument(root, body));
}

const sendErrors = (request: Request, response: Response, code: number, errors: Open311Error[]) => {
  answer(request, response, "errors", errors, code);
};

/** The `name` path parameter (Express 5 gives string | string[] for repeated names). */
export function pathParam(request: Request, name: string): string {
  const value = request.params[name];
  return typeof value === "string" ? value : "";
}

/** Validated input, or a 400 listing each bad parameter. */
function checked<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = validate(schema, input);
  if (!result.ok) throw new Open311Failure(400, fieldErrors(400, result.errors));
  return result.value;
}

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

const isText = (message: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? "is required" : message),
});
const text = (max: number) =>
  z.string(isText("must be text")).trim().max(max, `must be at most ${max} characters`);
const coordinate = z.union(
  [
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d{1,3}(\.\d+)?$/)
      .transform(Number),
  ],
  { error: "must be a number of degrees" },
);
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")], {
  error: "must be true or false",
});
const districtCode = z.string().regex(/^\d{6}$/, "must be a district code (6 digits)");
const caseId = z.string().regex(/^[\w-]{1,64}$/, "must be a service request id");
const requestTypeNames = enumNames(gridCasesV1.RequestType, "REQUEST_TYPE_");
const requestTypes = requestTypeNames.names as [string, ...string[]];

/** A request as POST requests.json takes it (form fields or flattened JSON). */
export const postedRequest = z
  .object({
    api_key: z.string().optional(),
    jurisdiction_id: districtCode.optional(),
    service_code: text(64).pipe(z.string().min(1, "is required")),
    lat: coordinate.optional(),
    long: coordinate.optional(),
    address_string: text(200).optional(),
    address_id: z.never({ error: "is not supported: send address_string or lat and long" }).optional(),
    email: z.email("must be an e-mail address").max(254).optional(),
    device_id: text(200).optional(),
    account_id: text(200).optional(),
    first_name: text(50).optional(),
    last_name: text(50).optional(),
    phone: text(20).optional(),
    description: text(2000).pipe(z.string().min(1, "is required")),
    media_url: text(500).optional(),
    "attribute[area_id]": text(64).pipe(z.string().min(1, "is required")),
    "attribute[request_type]": z
      .enum(requestTypes, { error: `must be one of ${requestTypes.join(", ")}` })
      .optional(),
    "attribute[anonymous]": flag.optional(),
  })
  .strict()
  .superRefine((fields, context) => {
    if ((fields.lat === undefined) !== (fields.long === undefined)) {
      const missing = fields.lat === undefined ? "lat" : "long";
      context.addIssue({ code: "custom", path: [missing], message: "is required with the other coordinate" });
    } else if (fields.lat === undefined && !fields.address_string) {
      context.addIssue({
        code: "custom",
        path: ["address_string"],
        message: "is required when lat and long are not given (one location is required)",
      });
    }
  });

/** The filters of GET requests.json. */
export const listQuery = z
  .object({
    api_key: z.string().optional(),
    jurisdiction_id: districtCode.optional(),
    service_request_id: commaList(caseId, 100).optional(),
    service_code: z.string().max(64).optional(),
    start_date: isoInstant.optional(),
    end_date: isoInstant.optional(),
    status: commaList(z.enum(["open", "closed"], { error: "must be open or closed" }), 2).optional(),
    page: z.coerce.number().int().min(1).max(maxPage, `must be at most ${maxPage}`).default(1),
    page_size: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export const jurisdictionQuery = z
  .object({ api_key: z.string().optional(), jurisdiction_id: districtCode.optional() })
  .strict();

/** JSON bodies may nest attributes (`attribute: {area_id}`); forms send `attribute[area_id]`. */
function flatFields(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return {};
  const { attribute, ...rest } = body as Record<string, unknown>;
  if (typeof attribute !== "object" || attribute === null || Array.isArray(attribute))
    return attribute === undefined ? rest : { ...rest, attribute };
  return {
    ...rest,
    ...Object.fromEntries(Object.entries(attribute).map(([code, value]) => [`attribute[${code}]`, value])),
  };
}

/** A case's title from its description: the first line, cut at 50 characters. */
function titleFrom(description: string): string {
  const firstLine = [...(description.split("\n")[0] ?? "").trim()];
  return firstLine.length > 50 ? `${firstLine.slice(0, 49).join("")}…` : firstLine.join("");
}

export interface Open311RoutesOptions {
  /** grid-cases' client. */
  gridCases: Client;
  call: GrpcCall;
  /** Discovery's `contact`: who answers for this endpoint. */
  contact: string;
  /** Discovery's `key_service`: where clients get an api_key. */
  keyService: string;
}

/** The Open311 GeoReport v2 interface over grid cases; see docs/api.md. */
export function open311Routes({ gridCases, call, contact, keyService }: Open311RoutesOptions): Router {
  const router = Router();
  /** A resource in both formats: `/services` is `services.json` and `services.xml`. */
  const route = (method: "get" | "post", path: string, handler: RequestHandler) => {
    for (const format of ["xml", "json"]) router[method](`${open311Base}${path}.${format}`, handler);
  };

  const catalogue = async (request: Request) => {
    const categories: gridCasesV1.CaseCategory[] = [];
    let pageToken = "";
    do {
      const page = await call(request, gridCases, caseRpcs.listCaseCategories, {
        pageSize: 200,
        pageToken,
      });
      categories.push(...page.categories);
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    return new Map(categories.map((category) => [category.code, category]));
  };

  /** The district `jurisdiction_id` names; anything else is a 400. */
  const requireDistrict = async (request: Request, jurisdictionId: string) => {
    const notDistrict = Open311Failure.of(
      400,
      `jurisdiction_id: ${jurisdictionId} is not a district of this endpoint`,
    );
    const found = await call(request, gridCases, areaRpcs.getArea, { areaId: jurisdictionId }).catch(
      (error: unknown) => {
        if (isGrpcError(error) && error.code === GrpcStatus.NOT_FOUND) throw notDistrict;
        throw error;
      },
    );
    if (found.area?.level !== gridCasesV1.AreaLevel.AREA_LEVEL_DISTRICT) throw notDistrict;
  };

  route("get", "/discovery", (request, response) => {
    checked(jurisdictionQuery, request.query);
    const url = `${request.protocol}://${request.get("host")}${open311Base}`;
    answer(request, response, "discovery", {
      changeset,
      contact,
      key_service: keyService,
      endpoints: [
        {
          specification: geoReportSpecification,
          url,
          changeset,
          type: "production",
          formats: ["text/xml", "application/json"],
        },
      ],
    });
  });

  route("get", "/services", async (request, response) => {
    const query = checked(jurisdictionQuery, request.query);
    if (query.jurisdiction_id) await requireDistrict(request, query.jurisdiction_id);
    answer(request, response, "services", [...(await catalogue(request)).values()].map(serviceOf));
  });

  route("get", "/services/:serviceCode", async (request, response) => {
    const query = checked(jurisdictionQuery, request.query);
    if (query.jurisdiction_id) await requireDistrict(request, query.jurisdiction_id);
    const code = pathParam(request, "serviceCode");
    const category = (await catalogue(request)).get(code);
    if (!category) throw Open311Failure.of(404, `service_code: ${code} is not a service of this endpoint`);
    answer(request, response, "service_definition", serviceDefinitionOf(category));
  });

  route("post", "/requests", async (request, response) => {
    if (request.body === undefined && Number(request.get("content-length") ?? 0) > 0) {
      throw Open311Failure.of(
        400,
        "send the parameters as application/x-www-form-urlencoded or application/json",
      );
    }
    const fields = checked(postedRequest, flatFields(request.body));
    const category = (await catalogue(request)).get(fields.service_code);
    if (!category)
      throw Open311Failure.of(400, `service_code: ${fields.service_code} is not a service of this endpoint`);
    const areaId = fields["attribute[area_id]"];
    if (fields.jurisdiction_id) {
      await requireDistrict(request, fields.jurisdiction_id);
      if (!areaCovers(fields.jurisdiction_id, areaId)) {
        throw Open311Failure.of(
          400,
          `attribute[area_id]: ${areaId} lies outside jurisdiction ${fields.jurisdiction_id}`,
        );
      }
    }
    const requestType = fields["attribute[request_type]"];
    const submitted = await call(request, gridCases, caseRpcs.submitCase, {
      channel: gridCasesV1.Channel.CHANNEL_OPEN311,
      requestType: requestType ? requestTypeNames.fromName(requestType) : category.requestType,
      categoryCode: category.code,
      title: titleFrom(fields.description),
      description: fields.description,
      areaId,
      address: fields.address_string ?? "",
      reporterName: [fields.first_name, fields.last_name].filter(Boolean).join(" "),
      reporterPhone: fields.phone ?? "",
      anonymous: fields["attribute[anonymous]"] ?? false,
      location:
        fields.lat === undefined || fields.long === undefined
          ? undefined
          : { latitude: fields.lat, longitude: fields.long },
      mediaUrl: fields.media_url ?? "",
    });
    const created = submitted.case;
    if (!created) throw new Error("SubmitCase answered without a case");
    response.location(`${open311Base}/requests/${created.caseId}.${formatOf(request)}`);
    const receipt = {
      service_request_id: created.caseId,
      service_notice: serviceNoticeOf(category),
      account_id: created.submittedBy === "anonymous" ? null : created.submittedBy,
    };
    answer(request, response, "service_requests", [receipt], 201);
  });

  route("get", "/requests", async (request, response) => {
    const query = checked(listQuery, request.query);
    if (query.jurisdiction_id) await requireDistrict(request, query.jurisdiction_id);
    const statuses = new Set(query.status ?? []);
    const byIds = (query.service_request_id ?? []).length > 0;
    const end = query.end_date;
    const start = query.start_date ?? new Date((end ?? new Date()).getTime() - defaultWindowMs);
    // The spec: with service_request_id, the other filters are ignored.
    const criteria = byIds
      ? { caseIds: query.service_request_id ?? [] }
      : {
          categoryCode: query.service_code ?? "",
          statuses: statuses.size === 1 ? (statuses.has("open") ? openStatuses : closedStatuses) : [],
          submittedFrom: start,
          ...(end ? { submittedTo: end } : {}),
        };
    let pageToken = "";
    let found: gridCasesV1.ListCasesResponse = { cases: [], nextPageToken: "" };
    for (let page = 1; page <= query.page; page++) {
      found = await call(request, gridCases, caseRpcs.listCases, {
        areaIdPrefix: query.jurisdiction_id ?? "",
        categoryCode: "",
        statuses: [],
        caseIds: [],
        ...criteria,
        pageSize: query.page_size,
        pageToken,
      });
      pageToken = found.nextPageToken;
      if (page < query.page && pageToken === "") {
        found = { cases: [], nextPageToken: "" };
        break;
      }
    }
    if (found.nextPageToken !== "" && query.page < maxPage) {
      const next = new URL(request.originalUrl, "http://gateway");
      next.searchParams.set("page", String(query.page + 1));
      next.searchParams.delete("api_key");
      response.links({ next: `${next.pathname}${next.search}` });
    }
    const categories = await catalogue(request);
    const serviceRequests = found.cases.map((listed) =>
      serviceRequestOf(listed, categories.get(listed.categoryCode)?.name ?? ""),
    );
    answer(request, response, "service_requests", serviceRequests);
  });

  route("get", "/requests/:serviceRequestId", async (request, response) => {
    checked(jurisdictionQuery, request.query);
    const id = checked(caseId, pathParam(request, "serviceRequestId"));
    // Listing applies who may see which case: another resident's case is simply not found.
    const found = await call(request, gridCases, caseRpcs.listCases, {
      areaIdPrefix: "",
      categoryCode: "",
      statuses: [],
      caseIds: [id],
      pageSize: 1,
      pageToken: "",
    });
    const listed = found.cases[0];
    if (!listed) throw Open311Failure.of(404, `service_request_id: ${id} was not found`);
    const categories = await catalogue(request);
    const serviceRequest = serviceRequestOf(listed, categories.get(listed.categoryCode)?.name ?? "");
    answer(request, response, "service_requests", [serviceRequest]);
  });

  route("get", "/tokens/:token", async (request, response) => {
    checked(jurisdictionQuery, request.query);
    const token = checked(caseId, pathParam(request, "token"));
    // Requests are created in real time: the token is the request id, so this only confirms it exists.
    await call(request, gridCases, caseRpcs.getCase, { caseId: token }).catch((error: unknown) => {
      if (isGrpcError(error) && error.code === GrpcStatus.NOT_FOUND)
        throw Open311Failure.of(404, `token: ${token} was not found`);
      throw error;
    });
    answer(request, response, "service_requests", [{ service_request_id: token, token }]);
  });

  router.use(open311Base, (request, response) => {
    sendErrors(request, response, 404, [
      {
        code: 404,
        description: `no Open311 resource ${request.method} ${request.path}; resources end in .xml or .json`,
      },
    ]);
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
