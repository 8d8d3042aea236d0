import { gridCasesV1 } from "@civic/contracts";
import { AreaCode } from "@civic/domain-kit";
import { status as GrpcStatus } from "@grpc/grpc-js";
import {
  closedStatuses,
  geoReportSpecification,
  openStatuses,
  requestTypeNames,
  serviceDefinitionOf,
  serviceNoticeOf,
  serviceOf,
  serviceRequestOf,
} from "./formats.js";
import {
  caseId,
  checked,
  flatFields,
  jurisdictionQuery,
  listQuery,
  maxPage,
  Open311Failure,
  postedRequest,
} from "./parameters.js";

const { CaseServiceService: caseRpcs, AreaServiceService: areaRpcs } = gridCasesV1;

/** Where the GeoReport v2 interface is mounted. */
export const open311Base = "/open311/v2";

/** What discovery names: who answers for this endpoint, and where clients get an api_key. */
export interface DiscoverySettings {
  contact: string;
  keyService: string;
}

/** Discovery's contact and key service when the deployment names none. */
export const discoveryDefaults: DiscoverySettings = {
  contact: "12345 政务服务便民热线 (12345 government service hotline)",
  keyService: "Ask the district command centre for a platform token",
};

/** When this interface last changed, for discovery's `changeset`. */
const changeset = "2026-12-03T00:00:00+08:00";
/** The spec's default window for listing requests. */
const defaultWindowMs = 90 * 24 * 3_600_000;

/** A unary RPC of grid-cases by its generated definition (`CaseServiceService.listCases`). */
export interface GridCasesRpc<Input, Output> {
  path: string;
  requestSerialize(input: Input): Buffer;
  responseDeserialize(bytes: Buffer): Output;
}

/** Calls an RPC of grid-cases for the client; whoever serves HTTP adds the caller and the deadline. */
export type GridCasesCall = <Input, Output>(
  rpc: GridCasesRpc<Input, Output>,
  input: Input,
) => Promise<Output>;

/** The spec's two formats, chosen by the resource's extension (`services.xml`, `services.json`). */
export type Format = "json" | "xml";

/** A GeoReport request as the resources read it, whatever serves HTTP. */
export interface GeoReportRequest {
  format: Format;
  /** The path's parameters by name (`serviceCode` of `/services/{serviceCode}`). */
  pathParameters: Readonly<Record<string, string>>;
  query: unknown;
  /** The form or JSON body of a POST. */
  body: unknown;
  /** `https://host`: where discovery says the interface is. */
  origin: string;
  /** The request's path and query, for the link to the next page. */
  url: string;
  gridCases: GridCasesCall;
}

/** An answer: its body, the document element that holds it in XML, and the headers it sets. */
export interface GeoReportAnswer {
  root: string;
  body: unknown;
  status?: number;
  location?: string;
  /** The path and query of the next page of a list. */
  nextPage?: string;
}

/** A resource of the interface: answered as `.xml` and as `.json`. */
export interface GeoReportResource {
  method: "get" | "post";
  /** Below `open311Base`, without the format's extension; `{name}` is a path parameter. */
  path: string;
  answer(request: GeoReportRequest): Promise<GeoReportAnswer>;
}

const isNotFound = (error: unknown) =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === GrpcStatus.NOT_FOUND;

/** The case categories by code: the services of the interface. */
async function categoriesOf(gridCases: GridCasesCall): Promise<Map<string, gridCasesV1.CaseCategory>> {
  const categories: gridCasesV1.CaseCategory[] = [];
  let pageToken = "";
  do {
    const page = await gridCases(caseRpcs.listCaseCategories, { pageSize: 200, pageToken });
    categories.push(...page.categories);
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return new Map(categories.map((category) => [category.code, category]));
}

/** The district `jurisdiction_id` names; anything else is a 400. */
async function requireDistrict(gridCases: GridCasesCall, jurisdictionId: string): Promise<void> {
  const notDistrict = Open311Failure.of(
    400,
    `jurisdiction_id: ${jurisdictionId} is not a district of this endpoint`,
  );
  const found = await gridCases(areaRpcs.getArea, { areaId: jurisdictionId }).catch((error: unknown) => {
    throw isNotFound(error) ? notDistrict : error;
  });
  if (found.area?.level !== gridCasesV1.AreaLevel.AREA_LEVEL_DISTRICT) throw notDistrict;
}

/** A case's title from its description: the first line, cut at 50 characters. */
function titleFrom(description: string): string {
  const firstLine = [...(description.split("\n")[0] ?? "").trim()];
  return firstLine.length > 50 ? `${firstLine.slice(0, 49).join("")}…` : firstLine.join("");
}

/** The Open311 GeoReport v2 interface over grid cases (docs/api.md, "Open311 GeoReport v2"). */
export function geoReportResources({ contact, keyService }: DiscoverySettings): GeoReportResource[] {
  return [
    { method: "get", path: "/discovery", answer: discovery },
    { method: "get", path: "/services", answer: services },
    { method: "get", path: "/services/{serviceCode}", answer: serviceDefinition },
    { method: "post", path: "/requests", answer: createRequest },
    { method: "get", path: "/requests", answer: requests },
    { method: "get", path: "/requests/{serviceRequestId}", answer: oneRequest },
    { method: "get", path: "/tokens/{token}", answer: token },
  ];

  async function discovery(request: GeoReportRequest): Promise<GeoReportAnswer> {
    checked(jurisdictionQuery, request.query);
    const endpoint = {
      specification: geoReportSpecification,
      url: `${request.origin}${open311Base}`,
      changeset,
      type: "production",
      formats: ["text/xml", "application/json"],
    };
    return {
      root: "discovery",
      body: { changeset, contact, key_service: keyService, endpoints: [endpoint] },
    };
  }
}

async function services({ query, gridCases }: GeoReportRequest): Promise<GeoReportAnswer> {
  const { jurisdiction_id } = checked(jurisdictionQuery, query);
  if (jurisdiction_id) await requireDistrict(gridCases, jurisdiction_id);
  return { root: "services", body: [...(await categoriesOf(gridCases)).values()].map(serviceOf) };
}

async function serviceDefinition(request: GeoReportRequest): Promise<GeoReportAnswer> {
  const { jurisdiction_id } = checked(jurisdictionQuery, request.query);
  if (jurisdiction_id) await requireDistrict(request.gridCases, jurisdiction_id);
  const code = request.pathParameters.serviceCode ?? "";
  const category = (await categoriesOf(request.gridCases)).get(code);
  if (!category) throw Open311Failure.of(404, `service_code: ${code} is not a service of this endpoint`);
  return { root: "service_definition", body: serviceDefinitionOf(category) };
}

async function createRequest({ body, format, gridCases }: GeoReportRequest): Promise<GeoReportAnswer> {
  const fields = checked(postedRequest, flatFields(body));
  const category = (await categoriesOf(gridCases)).get(fields.service_code);
  if (!category)
    throw Open311Failure.of(400, `service_code: ${fields.service_code} is not a service of this endpoint`);
  const areaId = fields["attribute[area_id]"];
  if (fields.jurisdiction_id) {
    await requireDistrict(gridCases, fields.jurisdiction_id);
    if (!AreaCode.covers(fields.jurisdiction_id, areaId)) {
      throw Open311Failure.of(
        400,
        `attribute[area_id]: ${areaId} lies outside jurisdiction ${fields.jurisdiction_id}`,
      );
    }
  }
  const requestType = fields["attribute[request_type]"];
  const submitted = await gridCases(caseRpcs.submitCase, {
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
  const receipt = {
    service_request_id: created.caseId,
    service_notice: serviceNoticeOf(category),
    account_id: created.submittedBy === "anonymous" ? null : created.submittedBy,
  };
  return {
    root: "service_requests",
    body: [receipt],
    status: 201,
    location: `${open311Base}/requests/${created.caseId}.${format}`,
  };
}

async function requests({ query: rawQuery, url, gridCases }: GeoReportRequest): Promise<GeoReportAnswer> {
  const query = checked(listQuery, rawQuery);
  if (query.jurisdiction_id) await requireDistrict(gridCases, query.jurisdiction_id);
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
    found = await gridCases(caseRpcs.listCases, {
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
  let nextPage: string | undefined;
  if (found.nextPageToken !== "" && query.page < maxPage) {
    const next = new URL(url, "http://open311");
    next.searchParams.set("page", String(query.page + 1));
    next.searchParams.delete("api_key");
    nextPage = `${next.pathname}${next.search}`;
  }
  const categories = await categoriesOf(gridCases);
  const serviceRequests = found.cases.map((listed) =>
    serviceRequestOf(listed, categories.get(listed.categoryCode)?.name ?? ""),
  );
  return { root: "service_requests", body: serviceRequests, ...(nextPage ? { nextPage } : {}) };
}

async function oneRequest(request: GeoReportRequest): Promise<GeoReportAnswer> {
  checked(jurisdictionQuery, request.query);
  const id = checked(caseId, request.pathParameters.serviceRequestId ?? "");
  // Listing applies who may see which case: another resident's case is simply not found.
  const found = await request.gridCases(caseRpcs.listCases, {
    areaIdPrefix: "",
    categoryCode: "",
    statuses: [],
    caseIds: [id],
    pageSize: 1,
    pageToken: "",
  });
  const listed = found.cases[0];
  if (!listed) throw Open311Failure.of(404, `service_request_id: ${id} was not found`);
  const categories = await categoriesOf(request.gridCases);
  const serviceRequest = serviceRequestOf(listed, categories.get(listed.categoryCode)?.name ?? "");
  return { root: "service_requests", body: [serviceRequest] };
}

async function token(request: GeoReportRequest): Promise<GeoReportAnswer> {
  checked(jurisdictionQuery, request.query);
  const given = checked(caseId, request.pathParameters.token ?? "");
  // Requests are created in real time: the token is the request id, so this only confirms it exists.
  await request.gridCases(caseRpcs.getCase, { caseId: given }).catch((error: unknown) => {
    throw isNotFound(error) ? Open311Failure.of(404, `token: ${given} was not found`) : error;
  });
  return { root: "service_requests", body: [{ service_request_id: given, token: given }] };
}
