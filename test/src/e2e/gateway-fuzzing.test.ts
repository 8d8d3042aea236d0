import { openApiDocument } from "@civic/openapi";
import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { contractViolation } from "../support/response-contract.js";
import { bearer } from "../support/tokens.js";
import { startWholePlatform, type WholePlatform } from "../support/whole-platform.js";

// Property-based fuzzing of every API operation in the OpenAPI document, against every
// service: random and hostile bodies, queries and path parameters never get a 5xx, a
// request carrying a Mongo operator (`{"$gt": ""}`) is always refused, and an operation
// that answered only 4xx changed no document in any service's database.
const runsPerOperation = Number(process.env.FUZZ_RUNS ?? 12);

interface Parameter {
  name: string;
  in: "path" | "query";
}
interface Operation {
  operationId: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { content: { "application/json": { schema: { properties?: Record<string, unknown> } } } };
}
const document = openApiDocument() as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, operation]) => !operation.tags.includes("Gateway"))
    .map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
);

const operators = [
  { $gt: "" },
  { $ne: null },
  { $where: "sleep(1000)" },
  { $regex: ".*" },
  { $exists: true },
];
const operator = fc.constantFrom(...operators);
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("", "0", "-1", "1e309", "440402001002003", "../..", "\u0000", "🙂", "x".repeat(5_000)),
);
const fieldValue = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 2, arbitrary: operator },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }) },
);
const pathValue = fc.oneof(
  // A lone "." is a dot-segment URLs drop (/micro-wishes/. is /micro-wishes): another operation.
  fc.string({ minLength: 1, maxLength: 30 }).filter((value) => value !== "."),
  fc.uuid(),
  fc.constantFrom('{"$gt":""}', "$gt", "..", "%", "a/b", "x".repeat(300), "440402"),
);

const jsonOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
/** Open311's XML error list (`<errors><error>…`) as `[{code, description}]`, to check like the JSON one. */
const xmlParser = new XMLParser({ isArray: (name) => name === "error" });
const xmlErrors = (text: string): unknown =>
  (
    xmlParser.parse(text) as { errors?: { error?: { code: number; description: unknown }[] } }
  ).errors?.error?.map(({ code, description }) => ({ code, description: String(description) }));

function bodyOf(operation: Operation) {
  const properties = Object.keys(operation.requestBody?.content["application/json"].schema.properties ?? {});
  const shaped = fc.record(Object.fromEntries(properties.map((name) => [name, fieldValue])), {
    requiredKeys: [],
  });
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: fc.jsonValue() });
}

function queryOf(operation: Operation) {
  const names = (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
  const documented = fc.record(
    Object.fromEntries(
      names.map((name) => [name, fc.oneof(fc.string({ maxLength: 20 }), fc.nat().map(String))]),
    ),
    { requiredKeys: [] },
  );
  // `name[$gt]=` is how an operator would arrive in a query string.
  const hostile = fc.dictionary(
    fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...names.map((name) => `${name}[$gt]`), "$where")),
    fc.string({ maxLength: 10 }),
    { maxKeys: 2 },
  );
  return fc.tuple(documented, hostile).map(([a, b]) => ({ ...a, ...b }) as Record<string, string>);
}

const carriesOperator = (value: unknown): boolean =>
  Array.isArray(value)
    ? value.some(carriesOperator)
    : typeof value === "object" && value !== null
      ? Object.entries(value).some(([key, inner]) => key.startsWith("$") || carriesOperator(inner))
      : false;

let platform: WholePlatform;
let callers: (string | undefined)[];

beforeAll(async () => {
  platform = await startWholePlatform(inject("mongoUri"), inject("natsUrl"));
  callers = [
    undefined,
    bearer("fuzz-admin", { roles: ["platform_admin"] }),
    bearer("fuzz-staff", { roles: ["community_staff"], areas: ["440402001002"] }),
    bearer("fuzz-resident", { roles: ["resident"] }),
  ];
});

afterAll(async () => {
  await platform?.stop();
});

describe("fuzzing every API operation", () => {
  it.each(operations)(
    "$method $path never answers 5xx, refuses operators and stores nothing on a 4xx",
    async ({ path, method, operation }) => {
      const before = await platform.storedDocuments();
      let succeeded = false;
      const pathNames = (operation.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
      const request = fc.record({
        pathValues: fc.tuple(...pathNames.map(() => pathValue)),
        query: queryOf(operation),
        body: operation.requestBody ? bodyOf(operation) : fc.constant(undefined),
        caller: fc.nat(callers.length - 1),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ pathValues, query, body, caller }) => {
          let url = path;
          pathNames.forEach((name, index) => {
            url = url.replace(`{${name}}`, encodeURIComponent(String(pathValues[index])));
          });
          const search = new URLSearchParams(query).toString();
          const token = callers[caller];
          const response = await fetch(`${platform.gatewayUrl}${url}${search ? `?${search}` : ""}`, {
            method,
            headers: {
              ...(token ? { authorization: token } : {}),
              ...(body === undefined ? {} : { "content-type": "application/json" }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const isXml = path.endsWith(".xml");
          const text = await response.text();
          const answer: unknown = isXml ? xmlErrors(text) : jsonOrUndefined(text);
          expect(response.status, `${method} ${url}?${search} ${JSON.stringify(body)}`).toBeLessThan(500);
          expect(contractViolation(method, url, response.status, answer)).toBeUndefined();
          if (response.status >= 400 && path.startsWith("/open311/")) {
            expect(answer).toEqual(
              expect.arrayContaining([{ code: response.status, description: expect.any(String) }]),
            );
          } else if (response.status >= 400) {
            expect(response.headers.get("content-type")).toContain("application/problem+json");
          } else {
            succeeded = true;
            expect(
              carriesOperator(body) || Object.keys(query).some((key) => key.includes("$")),
              `accepted an operator: ${method} ${url}?${search} ${JSON.stringify(body)}`,
            ).toBe(false);
          }
        }),
        { numRuns: runsPerOperation },
      );
      if (!succeeded) expect(await platform.storedDocuments()).toEqual(before);
    },
  );
});
