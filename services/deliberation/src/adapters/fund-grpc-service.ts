import { deliberationV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { CoFundingDesk } from "../app/co-funding-desk.js";
import type { FundDesk, FundView, MovedFund } from "../app/fund-desk.js";
import type { LedgerEntry } from "../domain/fund.js";
import { requireId } from "./council-grpc-service.js";

/** gRPC face of the fund ledger. */
export function fundGrpcService(ledger: FundDesk, coFunding: CoFundingDesk): GrpcServiceRegistration {
  const fundReply = replyWith("fund", toProtoFund);
  const entriesPage = pageWith("entries", toProtoEntry);
  return unaryService(deliberationV1.FundServiceService, {
    openFund: (request, { caller }) => fundReply(ledger.open(request, caller)),
    creditFund: async (request, { caller }) => ({
      ...moved(
        await ledger.credit(
          requireId("fundId", request.fundId),
          { amountFen: request.amountFen, note: request.note, reference: "" },
          caller,
        ),
      ),
    }),
    allocateFromFund: async (request, { caller }) => ({
      ...moved(
        await ledger.allocate(
          requireId("fundId", request.fundId),
          { amountFen: request.amountFen, note: request.purpose, reference: request.resolutionId },
          caller,
        ),
      ),
    }),
    allocateCoFunded: async (request, { caller }) => {
      const { projectId, funds } = await coFunding.allocate(
        {
          resolutionId: request.resolutionId,
          purpose: request.purpose,
          parts: request.parts.map((part) => ({ fundId: part.fundId.trim(), amountFen: part.amountFen })),
        },
        caller,
      );
      return {
        projectId,
        funds: funds.map(toProtoFund),
        entries: funds.map((fund) => toProtoEntry(fund.entry)),
      };
    },
    disburseAllocation: async (request, { caller }) => ({
      ...moved(
        await ledger.disburse(
          requireId("fundId", request.fundId),
          {
            amountFen: request.amountFen,
            note: request.note,
            reference: requireId("allocationId", request.allocationId),
          },
          caller,
        ),
      ),
    }),
    reverseAllocation: async (request, { caller }) => ({
      ...moved(
        await ledger.reverse(
          requireId("fundId", request.fundId),
          { allocationId: requireId("allocationId", request.allocationId), reason: request.reason },
          caller,
        ),
      ),
    }),
    listLedgerEntries: (request) =>
      entriesPage(
        ledger.ledger(requireId("fundId", request.fundId), {
          pageSize: request.pageSize,
          pageToken: request.pageToken,
        }),
      ),
    getFund: (request) => fundReply(ledger.get(requireId("fundId", request.fundId))),
  });
}

function toProtoFund({ fund, version }: FundView): deliberationV1.Fund {
  return {
    ...fund,
    ledger: [],
    openedAt: new Date(fund.openedAt),
    version,
  };
}

const toProtoEntry = (entry: LedgerEntry): deliberationV1.LedgerEntry => ({
  ...entry,
  at: new Date(entry.at),
});

const moved = (view: MovedFund) => ({ fund: toProtoFund(view), entry: toProtoEntry(view.entry) });
