import { AreaCode, type Caller, maskPhone, NotFoundError } from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import type { PersonalDataProtector } from "@civic/service-kit";
import type { Collection } from "mongodb";
import { v7 as uuidv7 } from "uuid";
import { requireMayList } from "../domain/authority.js";
import {
  type AvailabilityWindow,
  decideRegisterVolunteer,
  decideUpdateProfile,
  decideVerifyVolunteer,
  mayReadVolunteerPhone,
  type RegisteredVolunteer,
  type RegisterVolunteer,
  type VolunteerEvent,
  type VolunteerState,
} from "../domain/volunteer.js";

/** One full read of a volunteer's phone number: who read it, when (insert-only audit log). */
export interface PersonalDataRead {
  _id: string;
  volunteerId: string;
  field: "phone";
  by: string;
  roles: string[];
  at: Date;
}

/** What callers see of a volunteer: the phone masked unless they may read it in full. */
export type VolunteerView = Omit<RegisteredVolunteer, "phoneSealed" | "phoneMasked"> & {
  phone: string;
  version: number;
};

/** Use cases of volunteers' profiles, skills, availability and verification. */
export class VolunteerDesk {
  constructor(
    private readonly volunteers: AggregateRepository<VolunteerState, VolunteerEvent>,
    private readonly protector: PersonalDataProtector,
    private readonly reads: Collection<PersonalDataRead>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async register(command: RegisterVolunteer, caller: Caller): Promise<VolunteerView> {
    const phone = command.phone.replace(/\s/g, "");
    const { state, version } = await this.volunteers.create(command.volunteerId, (initial) =>
      decideRegisterVolunteer(
        { ...command, phone },
        initial,
        caller,
        (plain) => this.protector.seal(plain),
        maskPhone,
        this.now(),
      ),
    );
    return this.view(registered(state, command.volunteerId), version, caller);
  }

  async updateProfile(
    volunteerId: string,
    profile: { skills: string[]; availability: AvailabilityWindow[] },
    caller: Caller,
  ): Promise<VolunteerView> {
    const { state, version } = await this.volunteers.execute(volunteerId, (current) =>
      decideUpdateProfile(profile, current, volunteerId, caller, this.now()),
    );
    return this.view(registered(state, volunteerId), version, caller);
  }

  async verify(volunteerId: string, caller: Caller): Promise<VolunteerView> {
    const { state, version } = await this.volunteers.execute(volunteerId, (current) =>
      decideVerifyVolunteer(current, volunteerId, caller, this.now()),
    );
    return this.view(registered(state, volunteerId), version, caller);
  }

  async get(volunteerId: string, caller: Caller): Promise<VolunteerView> {
    const { state, version } = await this.volunteers.load(volunteerId);
    return this.view(registered(state, volunteerId), version, caller);
  }

  /**
   * The volunteer as stored, for other use cases (no personal data opened): one read of the
   * snapshot by id; only a missing snapshot falls back to reading the stream.
   */
  async find(volunteerId: string): Promise<RegisteredVolunteer | undefined> {
    const snapshot = await this.volunteers.snapshots.findOne({ _id: volunteerId });
    const state = snapshot ? snapshot.state : (await this.volunteers.load(volunteerId)).state;
    return state.status === "registered" ? state : undefined;
  }

  async list(areaPrefix: string, page: PageRequest, caller: Caller) {
    requireMayList(caller, areaPrefix);
    const filter = AreaCode.range("state.areaId", areaPrefix);
    const found = await pageOfSnapshots(this.volunteers.snapshots, filter, page);
    return {
      // Lists always show masked numbers: opening many at once is not a use case.
      volunteers: found.items.map((snapshot) =>
        maskedView(registered(snapshot.state, snapshot._id), snapshot.version),
      ),
      nextPageToken: found.nextPageToken,
    };
  }

  private async view(state: RegisteredVolunteer, version: number, caller: Caller): Promise<VolunteerView> {
    if (!mayReadVolunteerPhone(state, caller)) return maskedView(state, version);
    await this.reads.insertOne({
      _id: uuidv7(),
      volunteerId: state.volunteerId,
      field: "phone",
      by: caller.subject,
      roles: caller.roles,
      at: this.now(),
    });
    return { ...maskedView(state, version), phone: this.protector.open(state.phoneSealed) };
  }
}

function registered(state: VolunteerState, volunteerId: string): RegisteredVolunteer {
  if (state.status === "none") throw new NotFoundError("volunteer", volunteerId);
  return state;
}

function maskedView(state: RegisteredVolunteer, version: number): VolunteerView {
  const { phoneSealed: _sealed, phoneMasked, ...rest } = state;
  return { ...rest, phone: phoneMasked, version };
}
