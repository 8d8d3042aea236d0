import { deliberationV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type {
  HouseholdStatement,
  MaintenanceFundDesk,
  MaintenanceFundView,
  MovedMaintenanceFund,
} from "../app/maintenance-fund-desk.js";
import { requireId } from "./council-grpc-service.js";

/** gRPC face of compounds' maintenance funds. */
export function maintenanceFundGrpcService(ledger: MaintenanceFundDesk): GrpcServiceRegistration {
  const fundReply = replyWith("fund", toProtoFund);
  return unaryService(deliberationV1.MaintenanceFundServiceService, {
    openMaintenanceFund: (request, { caller }) =>
      fundReply(ledger.open({ areaId: requireId("areaId", request.areaId) }, caller)),
    depositToMaintenanceFund: async (request, { caller }) =>
      moved(await ledger.deposit(requireId("areaId", request.areaId), request, caller)),
    creditMaintenanceFundInterest: async (request, { caller }) =>
      moved(await ledger.creditInterest(requireId("areaId", request.areaId), request, caller)),
    withdrawFromMaintenanceFund: async (request, { caller }) =>
      moved(await ledger.withdraw(requireId("areaId", request.areaId), request, caller)),
    getMaintenanceFund: (request) => fundReply(ledger.get(requireId("areaId", request.areaId))),
    getHouseholdStatement: async (request, { caller }) => ({
      statement: toProtoStatement(
        await ledger.statement(
          requireId("areaId", request.areaId),
          requireId("householdId", request.householdId),
          caller,
        ),
      ),
    }),
  });
}

function toProtoFund({ fund, version }: MaintenanceFundView): deliberationV1.MaintenanceFund {
  return {
    ...fund,
    householdCount: fund.households.length,
    openedAt: new Date(fund.openedAt),
    version,
  };
}

function toProtoEntry({ movement }: MovedMaintenanceFund): deliberationV1.MaintenanceFundEntry {
  const common = {
    entryId: movement.data.entryId,
    amountFen: movement.data.amountFen,
    by: movement.data.by,
    at: new Date(movement.data.at),
  };
  switch (movement.type) {
    case "maintenance_fund.deposited":
      return {
        ...common,
        kind: "deposit",
        subject: movement.data.householdId,
        voteId: "",
        note: movement.data.note,
        shares: [],
      };
    case "maintenance_fund.interest_credited":
      return {
        ...common,
        kind: "interest",
        subject: movement.data.period,
        voteId: "",
        note: "",
        shares: movement.data.shares,
      };
    case "maintenance_fund.withdrawn":
      return {
        ...common,
        kind: "withdrawal",
        subject: movement.data.use,
        voteId: movement.data.voteId,
        note: movement.data.purpose,
        shares: movement.data.shares,
      };
  }
}

const moved = (view: MovedMaintenanceFund) => ({ fund: toProtoFund(view), entry: toProtoEntry(view) });

function toProtoStatement(statement: HouseholdStatement): deliberationV1.HouseholdStatement {
  const { account } = statement;
  return {
    areaId: statement.areaId,
    householdId: account.householdId,
    floorAreaCentiM2: account.floorAreaCentiM2,
    depositedFen: account.depositedFen,
    interestFen: account.interestFen,
    withdrawnFen: account.withdrawnFen,
    balanceFen: statement.balanceFen,
    topUpDue: statement.topUpDue,
    lines: statement.lines.map((line) => ({
      entryId: line.entryId,
      kind: line.kind,
      amountFen: line.amountFen,
      note: line.note,
      voteId: line.reference,
      at: new Date(line.at),
    })),
  };
}
