import type { socialRegistryV1 as v1 } from "@civic/contracts";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { callRpc, pathParam, validatedRoute } from "../route-kit.js";
import { pageQuery } from "./volunteer-stations.js";

const date = z.string().max(10).default("");
const code = z.string().max(18);
// Whole numbers here; the service checks the ranges (above 0, at most …) and names the field.
const whole = z.number().int().default(0);
const enterpriseBody = z
  .object({ creditCode: code, name: z.string().max(200), areaId: z.string().max(18), listedOn: date })
  .strict();
const directoryQuery = z.object({ areaId: z.string().max(18).default(""), ...pageQuery }).strict();
const donationBody = z
  .object({
    donationId: z.string().max(64),
    kind: z.enum(["money", "goods", "volunteer_hours"]),
    amountFen: whole,
    description: z.string().max(1000).default(""),
    estimatedValueFen: whole,
    volunteerHours: whole,
    recipient: z.string().max(200).default(""),
    donatedOn: date,
  })
  .strict();
const recognitionBody = z
  .object({ title: z.string().max(200), awardedOn: date, issuer: z.string().max(200) })
  .strict();
const list = z.enum(["abnormal_operation", "serious_illegality"]);
const listEntryBody = z.object({ list, reason: z.string().max(1000), enteredOn: date }).strict();
const listRemovalBody = z.object({ list, reason: z.string().max(1000), removedOn: date }).strict();
const evaluationQuery = z.object({ asOf: date }).strict();

/** The caring-enterprise directory: see CaringEnterpriseService in proto/. */
export function caringEnterpriseRoutes({
  enterprises,
  call,
}: {
  enterprises: v1.CaringEnterpriseServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const creditCode = (request: Parameters<typeof pathParam>[0]) => pathParam(request, "creditCode");
  router.post(
    "/api/v1/caring-enterprises",
    validatedRoute("body", enterpriseBody, async (body, request, response) => {
      const { enterprise } = await callRpc(
        call,
        request,
        enterprises.listCaringEnterprise.bind(enterprises),
        body,
      );
      response.status(201).location(`/api/v1/caring-enterprises/${body.creditCode}`).json(enterprise);
    }),
  );
  router.get("/api/v1/caring-enterprises/:creditCode", async (request, response) => {
    const { enterprise } = await callRpc(call, request, enterprises.getCaringEnterprise.bind(enterprises), {
      creditCode: creditCode(request),
    });
    response.json(enterprise);
  });
  router.get(
    "/api/v1/caring-enterprises",
    validatedRoute("query", directoryQuery, async (query, request, response) => {
      const page = await callRpc(call, request, enterprises.listCaringEnterprises.bind(enterprises), query);
      response.json({ enterprises: page.enterprises, nextPageToken: page.nextPageToken || null });
    }),
  );
  router.post(
    "/api/v1/caring-enterprises/:creditCode/donations",
    validatedRoute("body", donationBody, async (body, request, response) => {
      const { enterprise, recorded } = await callRpc(
        call,
        request,
        enterprises.recordDonation.bind(enterprises),
        {
          creditCode: creditCode(request),
          donation: body,
        },
      );
      // 201 when this request recorded it, 200 when the same donation was recorded before.
      response.status(recorded ? 201 : 200).json(enterprise);
    }),
  );
  router.post(
    "/api/v1/caring-enterprises/:creditCode/recognitions",
    validatedRoute("body", recognitionBody, async (body, request, response) => {
      const { enterprise } = await callRpc(call, request, enterprises.recogniseEnterprise.bind(enterprises), {
        creditCode: creditCode(request),
        recognition: body,
      });
      response.status(201).json(enterprise);
    }),
  );
  router.post(
    "/api/v1/caring-enterprises/:creditCode/credit-list-entries",
    validatedRoute("body", listEntryBody, async (body, request, response) => {
      const { enterprise } = await callRpc(
        call,
        request,
        enterprises.enterEnterpriseCreditList.bind(enterprises),
        {
          creditCode: creditCode(request),
          ...body,
        },
      );
      response.json(enterprise);
    }),
  );
  router.post(
    "/api/v1/caring-enterprises/:creditCode/credit-list-removals",
    validatedRoute("body", listRemovalBody, async (body, request, response) => {
      const { enterprise } = await callRpc(
        call,
        request,
        enterprises.removeEnterpriseFromCreditList.bind(enterprises),
        { creditCode: creditCode(request), ...body },
      );
      response.json(enterprise);
    }),
  );
  router.get(
    "/api/v1/caring-enterprises/:creditCode/credit-evaluation",
    validatedRoute("query", evaluationQuery, async (query, request, response) => {
      response.json(
        await callRpc(call, request, enterprises.evaluateEnterpriseCredit.bind(enterprises), {
          creditCode: creditCode(request),
          asOf: query.asOf,
        }),
      );
    }),
  );
  return router;
}
