import { type Caller, FailedPreconditionError, FieldChecks, InvalidArgumentError } from "@civic/domain-kit";
import {
  type AggregateRepository,
  type EventStore,
  type Executed,
  HotAggregates,
  streamId,
} from "@civic/event-log";
import { requireOrganiserOf } from "../domain/authorisation.js";
import {
  decideAllocate,
  decideCredit,
  decideDisburse,
  decideOpenFund,
  decideReverse,
  type Fund,
  type FundEvent,
  type FundState,
  type LedgerEntry,
  ledgerEntryOf,
  type Movement,
  requireFund,
} from "../domain/fund.js";
import type { AreaScope } from "./area-scope.js";

export interface FundView {
  fund: Fund;
  version: number;
}

/** A fund after a movement, with the ledger entry the movement recorded. */
export interface MovedFund extends FundView {
  entry: LedgerEntry;
}

/**
 * The area of a recorded resolution (of an adopted vote or an adopted motion), undefined when
 * none was recorded: allocations rest on one, an adopted vote alone is not enough.
 */
export interface Resolutions {
  areaOf(resolutionId: string): Promise<string | undefined>;
}

/** Tells whether a co-funded project took all its shares (domain/co-funding.ts). */
export interface CoFundedProjects {
  isFunded(projectId: string): Promise<boolean>;
}

type MovementInput = Omit<Movement, "entryId" | "by" | "at" | "projectId">;

/** Use cases of funds: open, credit, allocate, disburse, reverse, read (co-funding: CoFundingDesk). */
export class FundDesk {
  private readonly hotFunds: HotAggregates<FundState, FundEvent>;
  /** Areas of resolutions seen recorded: a resolution is never withdrawn, so they need no second look. */
  private readonly adopted = new Map<string, string>();

  constructor(
    private readonly funds: AggregateRepository<FundState, FundEvent>,
    private readonly store: EventStore,
    private readonly areas: AreaScope,
    private readonly resolutions: Resolutions,
    private readonly coFundedProjects: CoFundedProjects,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.hotFunds = new HotAggregates(funds);
  }

  async open(input: { areaId: string; name: string; kind: string }, caller: Caller): Promise<FundView> {
    const fundId = this.newId();
    const opened = decideOpenFund({ ...input, fundId, by: caller.subject, at: this.now() });
    await this.areas.requireCommunityOrCompound(input.areaId.trim());
    requireOrganiserOf(caller, input.areaId.trim(), "opening a fund");
    const { state, version } = await this.funds.create(fundId, () => opened);
    return { fund: requireFund(state, fundId), version };
  }

  credit(fundId: string, input: MovementInput, caller: Caller): Promise<MovedFund> {
    return this.move(fundId, caller, "crediting a fund", (fund) =>
      decideCredit(fund, this.movement(input, caller)),
    );
  }

  async allocate(fundId: string, input: MovementInput, caller: Caller): Promise<MovedFund> {
    await this.requireAdopted(input.reference);
    return this.move(fundId, caller, "allocating from a fund", (fund) =>
      decideAllocate(fund, this.movement(input, caller)),
    );
  }

  /**
   * Pays out of an allocation. A co-funded project's share pays out only once the project took
   * all its shares: until then it may still be rolled back, and a paid share could not be.
   */
  async disburse(fundId: string, input: MovementInput, caller: Caller): Promise<MovedFund> {
    const { fund } = await this.get(fundId);
    const projectId = fund.allocations.find(
      (allocation) => allocation.entryId === input.reference.trim(),
    )?.projectId;
    if (projectId && !(await this.coFundedProjects.isFunded(projectId))) {
      throw new FailedPreconditionError(
        `allocation ${input.reference} is a share of co-funded project ${projectId}, which is not funded`,
        "CO_FUNDING_NOT_FUNDED",
      );
    }
    return this.move(fundId, caller, "disbursing from a fund", (current) =>
      decideDisburse(current, this.movement(input, caller)),
    );
  }

  reverse(
    fundId: string,
    input: { allocationId: string; reason: string },
    caller: Caller,
  ): Promise<MovedFund> {
    return this.move(fundId, caller, "reversing an allocation", (fund) =>
      decideReverse(fund, {
        entryId: this.newId(),
        note: input.reason,
        reference: input.allocationId,
        projectId:
          fund.allocations.find((allocation) => allocation.entryId === input.allocationId)?.projectId ?? "",
        by: caller.subject,
        at: this.now(),
      }),
    );
  }

  /** Funds and their ledgers are public (公开): residents see where their money goes. */
  async get(fundId: string): Promise<FundView> {
    const { state, version } = await this.funds.load(fundId);
    return { fund: requireFund(state, fundId), version };
  }

  /**
   * The ledger, oldest entry first, a page at a time: the fund's movement events, read by
   * the (stream, version) index from the version after the page token.
   */
  async ledger(
    fundId: string,
    { pageSize, pageToken }: { pageSize: number; pageToken: string },
  ): Promise<{ entries: LedgerEntry[]; nextPageToken: string }> {
    new FieldChecks()
      .check(
        "pageSize",
        Number.isInteger(pageSize) && pageSize >= 0 && pageSize <= 200,
        "must be 1 to 200 (0 for the default 50)",
      )
      .check("pageToken", /^(\d{1,15})?$/.test(pageToken), "is not a page token")
      .throwIfAny();
    const size = pageSize || 50;
    const after = pageToken === "" ? 1 : Number(pageToken);
    const events = await this.store.readStream(streamId(this.funds.kind, fundId), after, size + 1);
    if (events.length === 0 && after === 1) await this.get(fundId);
    const page = events.slice(0, size);
    return {
      entries: page.flatMap((event) => ledgerEntryOf(event as unknown as FundEvent) ?? []),
      nextPageToken: events.length > size ? String(page.at(-1)?.version) : "",
    };
  }

  private movement(input: MovementInput, caller: Caller): Movement {
    return { ...input, entryId: this.newId(), projectId: "", by: caller.subject, at: this.now() };
  }

  /**
   * Decides and commits one movement of a fund, queued behind the fund's other writers in this
   * process; a decision may return undefined (nothing to do). The caller has authorised it.
   */
  write(fundId: string, decide: (fund: Fund) => FundEvent | undefined): Promise<Executed<FundState>> {
    return this.hotFunds.execute(fundId, (current) => decide(requireFund(current, fundId)));
  }

  private async move(
    fundId: string,
    caller: Caller,
    action: string,
    decide: (fund: Fund) => FundEvent,
  ): Promise<MovedFund> {
    const { state, version, event } = await this.write(fundId, (fund) => {
      requireOrganiserOf(caller, fund.areaId, action);
      return decide(fund);
    });
    const entry = event && ledgerEntryOf(event as unknown as FundEvent);
    if (!entry) throw new Error(`fund ${fundId}: a movement recorded no ledger entry`);
    return { fund: requireFund(state, fundId), version, entry };
  }

  /** Refuses an allocation that names no recorded resolution; answers the resolution's area. */
  async requireAdopted(resolutionId: string): Promise<string> {
    const id = resolutionId.trim();
    if (id === "") {
      throw new InvalidArgumentError([
        { field: "resolutionId", description: "an allocation rests on an adopted resolution" },
      ]);
    }
    const seen = this.adopted.get(id);
    if (seen !== undefined) return seen;
    const areaId = await this.resolutions.areaOf(id);
    if (areaId === undefined) {
      throw new FailedPreconditionError(
        `${resolutionId} is not a recorded resolution: an adopted vote or motion is recorded as one first (POST …/resolution)`,
        "RESOLUTION_NOT_ADOPTED",
      );
    }
    if (this.adopted.size >= 10_000) this.adopted.clear();
    this.adopted.set(id, areaId);
    return areaId;
  }
}
