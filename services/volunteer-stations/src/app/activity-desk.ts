import { randomInt } from "node:crypto";
import { AreaCode, type Caller, NotFoundError } from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import {
  type ActivityEvent,
  type ActivityState,
  activityIdOfShift,
  decideCloseActivity,
  decideIssueShiftCode,
  decidePublishActivity,
  type PublishActivity,
  type PublishedActivity,
} from "../domain/activity.js";
import type { StationEvent, StationState } from "../domain/station.js";
import type { ActivityRequestDesk } from "./activity-request-desk.js";

export type ActivityView = Omit<PublishedActivity, "codes"> & { version: number };

/** Use cases of activities: publish with shifts, issue shift codes, complete or cancel. */
export class ActivityDesk {
  constructor(
    readonly activities: AggregateRepository<ActivityState, ActivityEvent>,
    private readonly stations: AggregateRepository<StationState, StationEvent>,
    private readonly requests: ActivityRequestDesk,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * With `requestId`, publishes the activity another domain asked for: the activity takes the
   * request's id and origin (so a request is published once) and reports its progress back.
   */
  async publish(
    command: Omit<PublishActivity, "activityId"> & { requestId?: string },
    caller: Caller,
  ): Promise<ActivityView> {
    const { requestId, ...activity } = command;
    const request = requestId ? await this.requests.received(requestId) : undefined;
    const activityId = request?.requestId ?? this.newId();
    const station = (await this.stations.load(command.stationId)).state;
    const { state, version } = await this.activities.create(activityId, (initial) =>
      decidePublishActivity(
        { ...activity, activityId },
        initial,
        station.status === "registered" ? station : undefined,
        caller,
        this.now(),
        request,
      ),
    );
    return view(state, version, activityId);
  }

  /** A fresh six-digit code for checking in or out of a shift; only its hash is kept. */
  async issueShiftCode(shiftId: string, purpose: string, caller: Caller): Promise<string> {
    const activityId = activityIdOfShift(shiftId);
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const managers = await this.stationManagersOf(activityId);
    await this.activities.execute(activityId, (current) =>
      decideIssueShiftCode(shiftId, purpose, code, current, caller, managers, this.now()),
    );
    return code;
  }

  async close(
    activityId: string,
    outcome: "completed" | "cancelled",
    note: string,
    caller: Caller,
  ): Promise<ActivityView> {
    const managers = await this.stationManagersOf(activityId);
    const { state, version } = await this.activities.execute(activityId, (current) =>
      decideCloseActivity(outcome, note, current, activityId, caller, managers, this.now()),
    );
    return view(state, version, activityId);
  }

  async get(activityId: string): Promise<ActivityView> {
    const { state, version } = await this.activities.load(activityId);
    return view(state, version, activityId);
  }

  /** Activities in an area and below it: anyone may browse what they could sign up for. */
  async list(areaPrefix: string, page: PageRequest) {
    const filter = AreaCode.range("state.areaId", areaPrefix);
    const found = await pageOfSnapshots(this.activities.snapshots, filter, page);
    return {
      activities: found.items.map((snapshot) => view(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }

  /**
   * The activity as its snapshot has it: one read by id, for hot paths such as sign-up. The
   * snapshot may lag its stream by an event for a moment (the sweeper repairs it); only a
   * missing snapshot falls back to reading the stream.
   */
  async current(activityId: string): Promise<ActivityState> {
    const snapshot = await this.activities.snapshots.findOne({ _id: activityId });
    return snapshot ? snapshot.state : (await this.activities.load(activityId)).state;
  }

  async stationManagersOf(activityId: string): Promise<string[]> {
    const { state } = await this.activities.load(activityId);
    if (state.status === "none") return [];
    const station = (await this.stations.load(state.stationId)).state;
    return station.status === "registered" ? station.managerIds : [];
  }
}

function view(state: ActivityState, version: number, activityId: string): ActivityView {
  if (state.status === "none") throw new NotFoundError("activity", activityId);
  const { codes: _codes, ...activity } = state;
  return { ...activity, version };
}
