import { AreaCode, isIdentifier } from "@civic/domain-kit";
import { validateInput } from "@civic/service-kit";
import { z } from "zod";
import { fieldErrors, type Open311Error, requestTypeNames } from "./formats.js";

/** How many pages deep `page` may reach (each page before it is one more read). */
export const maxPage = 20;

/** A GeoReport error answer: its HTTP status and the `[{code, description}]` list. */
export class Open311Failure extends Error {
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

/** Validated input, or a 400 listing each bad parameter. */
export function checked<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = validateInput(schema, input);
  if (!result.ok) throw new Open311Failure(400, fieldErrors(400, result.errors));
  return result.value;
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
const districtCode = z.string().regex(AreaCode.pattern("district"), "must be a district code (6 digits)");
export const caseId = z.string().refine(isIdentifier, "must be a service request id");
const requestTypes = requestTypeNames.names as [string, ...string[]];
/** An ISO 8601 instant with its offset (Z or ±hh:mm), as a Date. */
const isoInstant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
/** A comma-separated parameter, each item checked by `item`, at most `max` of them. */
const commaList = (item: z.ZodType<string, string>, max: number) =>
  z
    .string()
    .max(4000)
    .transform((text) =>
      text
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part !== ""),
    )
    .pipe(z.array(item).max(max));

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
export function flatFields(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return {};
  const { attribute, ...rest } = body as Record<string, unknown>;
  if (typeof attribute !== "object" || attribute === null || Array.isArray(attribute))
    return attribute === undefined ? rest : { ...rest, attribute };
  return {
    ...rest,
    ...Object.fromEntries(Object.entries(attribute).map(([code, value]) => [`attribute[${code}]`, value])),
  };
}
