import { type Caller, InvalidArgumentError, PermissionDeniedError } from "@civic/domain-kit";
import { type AggregateRepository, type EventStore, HotAggregates, streamId } from "@civic/event-log";
import { isOrganiserOf, requireOrganiserOf } from "../domain/authorisation.js";
import {
  decideCreditInterest,
  decideDeposit,
  decideOpenMaintenanceFund,
  decideWithdraw,
  type HouseholdAccount,
  householdBalanceFen,
  type MaintenanceFund,
  type MaintenanceFundEvent,
  type MaintenanceFundState,
  requireHousehold,
  requireMaintenanceFund,
  type StatementLine,
  statementLineOf,
  topUpDue,
} from "../domain/maintenance-fund.js";
import type { Vote } from "../domain/vote.js";
import type { AreaScope } from "./area-scope.js";

export interface MaintenanceFundView {
  fund: MaintenanceFund;
  version: number;
}

/** A fund after a movement, with the event that recorded it. */
export interface MovedMaintenanceFund extends MaintenanceFundView {
  movement: Exclude<MaintenanceFundEvent, { type: "maintenance_fund.opened" }>;
}

export interface HouseholdStatement {
  areaId: string;
  account: HouseholdAccount;
  balanceFen: number;
  topUpDue: boolean;
  lines: StatementLine[];
}

/** Where the ledger reads the owners' votes that withdrawals rest on. */
export interface Votes {
  get(voteId: string): Promise<{ vote: Vote }>;
}

/**
 * Use cases of compounds' maintenance funds. Every movement of one compound's fund is queued
 * behind the others in this process and committed at the stream's next version, so racing
 * withdrawals are decided one after the other on what the last one left.
 */
export class MaintenanceFundDesk {
  private readonly hotFunds: HotAggregates<MaintenanceFundState, MaintenanceFundEvent>;

  constructor(
    private readonly funds: AggregateRepository<MaintenanceFundState, MaintenanceFundEvent>,
    private readonly store: EventStore,
    private readonly areas: AreaScope,
    private readonly votes: Votes,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.hotFunds = new HotAggregates(funds);
  }

  async open(input: { areaId: string }, caller: Caller): Promise<MaintenanceFundView> {
    const areaId = input.areaId.trim();
    const area = await this.areas.requireCommunityOrCompound(areaId);
    if (area.level !== "grid") {
      throw new InvalidArgumentError([
        {
          field: "areaId",
          description: `${areaId} (${area.name}) is a ${area.level}: a fund is a compound's`,
        },
      ]);
    }
    requireOrganiserOf(caller, areaId, "opening a maintenance fund");
    const opened = decideOpenMaintenanceFund({ areaId, by: caller.subject, at: this.now() });
    const { state, version } = await this.funds.create(areaId, () => opened);
    return { fund: requireMaintenanceFund(state, areaId), version };
  }

  deposit(
    areaId: string,
    input: { householdId: string; floorAreaCentiM2: number; amountFen: number; note: string },
    caller: Caller,
  ): Promise<MovedMaintenanceFund> {
    return this.move(areaId, caller, "recording a deposit", (fund) =>
      decideDeposit(fund, { ...input, ...this.movement(input.amountFen, caller) }),
    );
  }

  creditInterest(
    areaId: string,
    input: { amountFen: number; period: string },
    caller: Caller,
  ): Promise<MovedMaintenanceFund> {
    return this.move(areaId, caller, "crediting interest", (fund) =>
      decideCreditInterest(fund, { ...input, ...this.movement(input.amountFen, caller) }),
    );
  }

  async withdraw(
    areaId: string,
    input: { voteId: string; use: string; purpose: string; amountFen: number },
    caller: Caller,
  ): Promise<MovedMaintenanceFund> {
    if (input.voteId.trim() === "") {
      throw new InvalidArgumentError([
        { field: "voteId", description: "a withdrawal rests on an owners' vote" },
      ]);
    }
    // A closed vote never changes again, so it may be read before the fund is queued for.
    const { vote } = await this.votes.get(input.voteId.trim());
    return this.move(areaId, caller, "withdrawing from a maintenance fund", (fund) =>
      decideWithdraw(fund, vote, { ...input, ...this.movement(input.amountFen, caller) }),
    );
  }

  /** A fund's totals are public (公开): owners see what their compound holds and spends. */
  async get(areaId: string): Promise<MaintenanceFundView> {
    const { state, version } = await this.funds.load(areaId);
    return { fund: requireMaintenanceFund(state, areaId), version };
  }

  /** A household's statement, for the compound's organisers: what each household holds is not public. */
  async statement(areaId: string, householdId: string, caller: Caller): Promise<HouseholdStatement> {
    const { fund } = await this.get(areaId);
    if (!isOrganiserOf(caller, fund.areaId)) {
      throw new PermissionDeniedError(
        "a household's statement is for the staff of its compound's area",
        "NOT_AN_ORGANISER",
      );
    }
    const account = requireHousehold(fund, householdId);
    const events = await this.store.readStream(streamId(this.funds.kind, areaId), 1);
    return {
      areaId: fund.areaId,
      account,
      balanceFen: householdBalanceFen(account),
      topUpDue: topUpDue(account),
      lines: events.flatMap(
        (event) => statementLineOf(event as unknown as MaintenanceFundEvent, account.householdId) ?? [],
      ),
    };
  }

  private movement(amountFen: number, caller: Caller) {
    return { entryId: this.newId(), amountFen, by: caller.subject, at: this.now() };
  }

  private async move(
    areaId: string,
    caller: Caller,
    action: string,
    decide: (fund: MaintenanceFund) => MaintenanceFundEvent,
  ): Promise<MovedMaintenanceFund> {
    const { state, version, event } = await this.hotFunds.execute(areaId, (current) => {
      const fund = requireMaintenanceFund(current, areaId);
      requireOrganiserOf(caller, fund.areaId, action);
      return decide(fund);
    });
    const movement = event as unknown as MaintenanceFundEvent | undefined;
    if (!movement || movement.type === "maintenance_fund.opened") {
      throw new Error(`maintenance fund ${areaId}: a movement recorded no event`);
    }
    return { fund: requireMaintenanceFund(state, areaId), version, movement };
  }
}
