import type { Caller } from "@civic/domain-kit";
import type { CreditListDeciders, EnterCreditList, RemoveFromCreditList } from "../domain/credit-list.js";

/** How a register decides a change to one of its holders (NOT_FOUND, officer of its area) and shows it. */
export type HolderChange<Holder, Event, View> = (
  creditCode: string,
  caller: Caller,
  decide: (holder: Holder) => Event,
) => Promise<View>;

/** The credit-list use cases of a register: entering a holder on a list and removing it. */
export class CreditListDesk<Holder, Event, View> {
  constructor(
    private readonly change: HolderChange<Holder, Event, View>,
    private readonly deciders: CreditListDeciders<Holder, Event>,
    private readonly now: () => Date,
  ) {}

  enter(creditCode: string, command: EnterCreditList, caller: Caller): Promise<View> {
    return this.change(creditCode, caller, (holder) =>
      this.deciders.enter(command, holder, caller, this.now()),
    );
  }

  remove(creditCode: string, command: RemoveFromCreditList, caller: Caller): Promise<View> {
    return this.change(creditCode, caller, (holder) =>
      this.deciders.remove(command, holder, caller, this.now()),
    );
  }
}
