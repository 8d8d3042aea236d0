import type { deliberationV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../../grpc-call.js";
import { checked, iso, present } from "./checked.js";

const fen = z.number().int();
const openBody = z
  .object({
    areaId: z.string(),
    name: z.string(),
    kind: z.enum(["community_happiness_fund", "compound_public_fund", "other"]),
  })
  .strict();
const creditBody = z.object({ amountFen: fen, note: z.string() }).strict();
const allocateBody = z.object({ amountFen: fen, purpose: z.string(), resolutionId: z.string() }).strict();
const coFundedBody = z
  .object({
    resolutionId: z.string(),
    purpose: z.string(),
    parts: z.array(z.object({ fundId: z.string(), amountFen: fen }).strict()).max(10),
  })
  .strict();
const disburseBody = z.object({ amountFen: fen, note: z.string() }).strict();
const reverseBody = z.object({ reason: z.string() }).strict();

/** A fund without its ledger, which is paged at /api/v1/funds/{fundId}/ledger. */
export function fundJson(fund: deliberationV1.Fund) {
  const { ledger: _, ...rest } = fund;
  return { ...rest, openedAt: iso(fund.openedAt) };
}

export const ledgerEntryJson = (entry: deliberationV1.LedgerEntry) => ({ ...entry, at: iso(entry.at) });

const ledgerQuery = z
  .object({
    pageSize: z.coerce.number().int().default(0),
    pageToken: z.string().max(200).default(""),
  })
  .strict();

/** /api/v1/funds and /api/v1/co-funded-allocations: see FundService in proto/civic/deliberation/v1. */
export function fundRoutes({
  funds,
  call,
}: {
  funds: deliberationV1.FundServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const fundOf = (answer: { fund?: deliberationV1.Fund | undefined }) =>
    fundJson(present(answer.fund, "a fund"));
  /** A movement's answer: the fund and the ledger entry the movement recorded. */
  const movedOf = (answer: {
    fund?: deliberationV1.Fund | undefined;
    entry?: deliberationV1.LedgerEntry | undefined;
  }) => ({ ...fundOf(answer), entry: ledgerEntryJson(present(answer.entry, "a ledger entry")) });
  const fundId = (params: Record<string, unknown>) => params.fundId as string;

  router.post("/api/v1/funds", async (request, response) => {
    const body = checked(openBody, request.body, request, response);
    if (!body) return;
    const opened = await call<deliberationV1.OpenFundResponse>(
      request,
      (metadata: Metadata, options, callback) => funds.openFund(body, metadata, options, callback),
    );
    const fund = fundOf(opened);
    response.status(201).location(`/api/v1/funds/${fund.fundId}`).json(fund);
  });

  router.post("/api/v1/funds/:fundId/credits", async (request, response) => {
    const body = checked(creditBody, request.body, request, response);
    if (!body) return;
    const credited = await call<deliberationV1.CreditFundResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        funds.creditFund({ fundId: fundId(request.params), ...body }, metadata, options, callback),
    );
    response.status(201).json(movedOf(credited));
  });

  router.post("/api/v1/funds/:fundId/allocations", async (request, response) => {
    const body = checked(allocateBody, request.body, request, response);
    if (!body) return;
    const allocated = await call<deliberationV1.AllocateFromFundResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        funds.allocateFromFund({ fundId: fundId(request.params), ...body }, metadata, options, callback),
    );
    response.status(201).json(movedOf(allocated));
  });

  router.post("/api/v1/co-funded-allocations", async (request, response) => {
    const body = checked(coFundedBody, request.body, request, response);
    if (!body) return;
    const allocated = await call<deliberationV1.AllocateCoFundedResponse>(
      request,
      (metadata: Metadata, options, callback) => funds.allocateCoFunded(body, metadata, options, callback),
    );
    response.status(201).json({
      projectId: allocated.projectId,
      funds: allocated.funds.map(fundJson),
      entries: allocated.entries.map(ledgerEntryJson),
    });
  });

  router.post("/api/v1/funds/:fundId/allocations/:allocationId/disbursements", async (request, response) => {
    const body = checked(disburseBody, request.body, request, response);
    if (!body) return;
    const disbursed = await call<deliberationV1.DisburseAllocationResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        funds.disburseAllocation(
          { fundId: fundId(request.params), allocationId: request.params.allocationId as string, ...body },
          metadata,
          options,
          callback,
        ),
    );
    response.status(201).json(movedOf(disbursed));
  });

  router.post("/api/v1/funds/:fundId/allocations/:allocationId/reversal", async (request, response) => {
    const body = checked(reverseBody, request.body, request, response);
    if (!body) return;
    const reversed = await call<deliberationV1.ReverseAllocationResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        funds.reverseAllocation(
          { fundId: fundId(request.params), allocationId: request.params.allocationId as string, ...body },
          metadata,
          options,
          callback,
        ),
    );
    response.status(201).json(movedOf(reversed));
  });

  router.get("/api/v1/funds/:fundId", async (request, response) => {
    const found = await call<deliberationV1.GetFundResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        funds.getFund({ fundId: fundId(request.params) }, metadata, options, callback),
    );
    response.json(fundOf(found));
  });

  router.get("/api/v1/funds/:fundId/ledger", async (request, response) => {
    const query = checked(ledgerQuery, request.query, request, response);
    if (!query) return;
    const found = await call<deliberationV1.ListLedgerEntriesResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        funds.listLedgerEntries({ fundId: fundId(request.params), ...query }, metadata, options, callback),
    );
    response.json({
      entries: found.entries.map(ledgerEntryJson),
      nextPageToken: found.nextPageToken || undefined,
    });
  });

  return router;
}
