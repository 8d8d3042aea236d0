import { readFileSync } from "node:fs";
import {
  createFileRegistry,
  type DescEnum,
  type DescExtension,
  type DescField,
  type DescFile,
  type DescMessage,
  type DescMethod,
  type DescService,
  type FileRegistry,
  fromBinary,
  getExtension,
} from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { descriptorSetPath } from "./descriptor-set.js";

/** An RPC as the REST API exposes it: its `google.api.http` rule and its messages. */
export interface HttpOperation {
  /** `package.Service.Method` (`grid_cases.CaseService.GetCase`), unique across the platform. */
  operationId: string;
  /** The RPC's gRPC path: `/civic.grid_cases.v1.CaseService/GetCase`. */
  rpcPath: string;
  /** The service's tag in the document (`grid_cases.CaseService`). */
  tag: string;
  method: "get" | "post" | "put" | "patch" | "delete";
  /** The path in OpenAPI form, parameters in lowerCamelCase: `/api/v1/cases/{caseId}`. */
  path: string;
  /** Field names (lowerCamelCase) bound from the path. */
  pathFields: string[];
  /** `*` when the body carries the request, a field's name when it carries that field, "" when the query does. */
  body: string;
  /** The field of the output that is the answer's body; "" when the whole output is. */
  responseBody: string;
  input: DescMessage;
  output: DescMessage;
  comment: string;
}

export interface ServiceSummary {
  name: string;
  comment: string;
}

/** The platform's compiled protos: its HTTP-annotated RPCs and the comments written on them. */
export interface HttpCatalogue {
  services: ServiceSummary[];
  operations: HttpOperation[];
  /** RPCs without a `google.api.http` rule: the REST API cannot expose them. */
  unannotated: string[];
  commentOf(desc: DescMessage | DescField | DescEnum): string;
}

const httpVerbs = new Set(["get", "post", "put", "patch", "delete"]);
let loaded: HttpCatalogue | undefined;

/** The catalogue of the descriptor set `pnpm generate` wrote (`descriptorSetPath`), read once. */
export function httpCatalogue(): HttpCatalogue {
  loaded ??= loadHttpCatalogue();
  return loaded;
}

function loadHttpCatalogue(): HttpCatalogue {
  const set = fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath));
  const registry = createFileRegistry(set);
  const httpRule = registry.getExtension("google.api.http");
  if (!httpRule) throw new Error("The descriptor set lacks google/api/annotations.proto");
  const comments = commentIndex(registry);
  const services: ServiceSummary[] = [];
  const operations: HttpOperation[] = [];
  const unannotated: string[] = [];
  for (const file of registry.files) {
    if (!file.proto.package.startsWith("civic.")) continue;
    for (const service of file.services) {
      services.push({ name: tagOf(service), comment: comments.ofService(service) });
      for (const method of service.methods) {
        const operation = httpOperationOf(method, httpRule, comments.ofMethod(method));
        if (operation) operations.push(operation);
        else unannotated.push(`${tagOf(service)}.${method.name}`);
      }
    }
  }
  return { services, operations, unannotated, commentOf: (desc) => comments.of(desc) };
}

function httpOperationOf(
  method: DescMethod,
  httpRule: DescExtension,
  comment: string,
): HttpOperation | undefined {
  const options = method.proto.options;
  if (!options) return undefined;
  // The registry resolved the extension to google.api.HttpRule: `pattern` is its oneof.
  const rule = getExtension(options, httpRule) as unknown as {
    pattern: { case: string | undefined; value?: unknown };
    body: string;
    responseBody: string;
  };
  const verb = rule.pattern.case;
  if (!verb || !httpVerbs.has(verb) || typeof rule.pattern.value !== "string") return undefined;
  const pathFields: string[] = [];
  const path = rule.pattern.value.replace(/\{([a-z0-9_]+)\}/g, (_whole, name: string) => {
    const field = lowerCamel(name);
    pathFields.push(field);
    return `{${field}}`;
  });
  return {
    operationId: `${tagOf(method.parent)}.${method.name}`,
    rpcPath: `/${method.parent.typeName}/${method.name}`,
    tag: tagOf(method.parent),
    method: verb as HttpOperation["method"],
    path,
    pathFields,
    body: rule.body,
    responseBody: rule.responseBody,
    input: method.input,
    output: method.output,
    comment,
  };
}

/** The message an operation answers: its `response_body` field's, or the whole output. */
function answerMessage(operation: HttpOperation): DescMessage | undefined {
  if (!operation.responseBody) return operation.output;
  return operation.output.fields.find((field) => field.name === operation.responseBody)?.message;
}

/**
 * The GET that reads what a POST creates: a GET answering the same message, each of its path
 * fields a field of that message, the last one not bound by the POST's path (a POST to
 * `/incubation-cohorts/{cohortId}/participants` creates what `/incubations/{creditCode}`
 * reads; one to `/caring-enterprises/{creditCode}/recognitions` changes an enterprise), or
 * a GET of the POST's own path (an entity one of a kind below its parent).
 */
function createdEntityReader(
  operation: HttpOperation,
  operations: HttpOperation[],
): HttpOperation | undefined {
  const entity = answerMessage(operation);
  if (operation.method !== "post" || !entity || !operation.responseBody) return undefined;
  const fieldNames = new Set(entity.fields.map((field) => field.jsonName));
  return operations.find((candidate) => {
    if (candidate.method !== "get" || answerMessage(candidate) !== entity) return false;
    // One of a kind below its parent: POST and GET `…/sign-ups/{volunteerId}/hours`.
    if (candidate.path === operation.path) return true;
    const idField = candidate.pathFields.at(-1);
    return (
      idField !== undefined &&
      candidate.pathFields.every((field) => fieldNames.has(field)) &&
      !operation.pathFields.includes(idField)
    );
  });
}

/**
 * Whether a POST adds to a collection a GET of the same path lists (`POST` and `GET
 * /api/v1/departments`): what it answers is one of the list's items.
 */
function addsToListedCollection(operation: HttpOperation, operations: HttpOperation[]): boolean {
  const entity = answerMessage(operation);
  if (operation.method !== "post" || !entity || !operation.responseBody) return false;
  return operations.some(
    (candidate) =>
      candidate.method === "get" &&
      candidate.path === operation.path &&
      candidate.output.fields.some((field) => field.fieldKind === "list" && field.message === entity),
  );
}

/** How a POST answers on success (docs/api.md, "How routes answer"). */
export interface PostOutcome {
  /** The GET that reads what the POST makes: its path is the answer's `Location`. */
  reader: HttpOperation | undefined;
  /** Whether the POST makes something new: 201 unless `flag` says otherwise. */
  creates: boolean;
  /** The output's `created` or `recorded` field: per call, `true` is 201 and `false` 200. */
  flag: string | undefined;
}

export function postOutcome(operation: HttpOperation, operations: HttpOperation[]): PostOutcome {
  const reader = createdEntityReader(operation, operations);
  return {
    reader,
    creates: reader !== undefined || addsToListedCollection(operation, operations),
    flag: operation.output.fields.find((field) => field.name === "created" || field.name === "recorded")
      ?.jsonName,
  };
}

/** The service prefixed by its package's middle part: two packages both have an OrganisationService. */
const tagOf = (service: DescService) => `${service.file.proto.package.split(".")[1]}.${service.name}`;

const lowerCamel = (snake: string) =>
  snake.replace(/_([a-z0-9])/g, (_whole, letter: string) => letter.toUpperCase());

/**
 * Leading comments by element, read from each file's source info. A location's path is
 * the chain of (field number, index) steps from the file to the element.
 */
function commentIndex(registry: FileRegistry) {
  const byFile = new Map<DescFile, Map<string, string>>();
  for (const file of registry.files) {
    const locations = new Map<string, string>();
    for (const location of file.proto.sourceCodeInfo?.location ?? []) {
      const text = location.leadingComments.trim();
      if (text) locations.set(location.path.join("."), text.replace(/\n ?/g, "\n"));
    }
    byFile.set(file, locations);
  }
  const lookup = (file: DescFile, path: number[]) => byFile.get(file)?.get(path.join(".")) ?? "";
  const messagePath = (message: DescMessage): number[] =>
    message.parent
      ? [...messagePath(message.parent), 3, message.parent.nestedMessages.indexOf(message)]
      : [4, message.file.messages.indexOf(message)];
  return {
    ofService: (service: DescService) => lookup(service.file, [6, service.file.services.indexOf(service)]),
    ofMethod: (method: DescMethod) =>
      lookup(method.parent.file, [
        6,
        method.parent.file.services.indexOf(method.parent),
        2,
        method.parent.methods.indexOf(method),
      ]),
    of(desc: DescMessage | DescField | DescEnum): string {
      switch (desc.kind) {
        case "message":
          return lookup(desc.file, messagePath(desc));
        case "field":
          return lookup(desc.parent.file, [...messagePath(desc.parent), 2, desc.parent.fields.indexOf(desc)]);
        case "enum":
          return desc.parent
            ? lookup(desc.file, [...messagePath(desc.parent), 4, desc.parent.nestedEnums.indexOf(desc)])
            : lookup(desc.file, [5, desc.file.enums.indexOf(desc)]);
      }
    },
  };
}
