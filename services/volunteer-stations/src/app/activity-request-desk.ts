import { AlreadyExistsError, AreaCode, type Caller, NotFoundError } from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import type { ActivityEvent, ActivityState } from "../domain/activity.js";
import {
  type ActivityRequestEvent,
  type ActivityRequestState,
  decideReceiveActivityRequest,
  type ReceiveActivityRequest,
  type ReceivedActivityRequest,
} from "../domain/activity-request.js";
import { requireMayList } from "../domain/authority.js";

/** A request and, once a station published it, the activity (whose id is the request's). */
export type ActivityRequestView = ReceivedActivityRequest & { activityId: string | null };

/** Activities other domains asked for, waiting for a station to publish them. */
export class ActivityRequestDesk {
  constructor(
    private readonly requests: AggregateRepository<ActivityRequestState, ActivityRequestEvent>,
    private readonly activities: AggregateRepository<ActivityState, ActivityEvent>,
  ) {}

  /** Records the request once: a redelivered or repeated request finds it there. */
  async receive(command: ReceiveActivityRequest): Promise<{ created: boolean }> {
    const event = decideReceiveActivityRequest(command);
    if ((await this.requests.load(command.requestId)).state.status !== "none") return { created: false };
    try {
      await this.requests.create(command.requestId, () => event);
      return { created: true };
    } catch (error) {
      if (error instanceof AlreadyExistsError) return { created: false };
      throw error;
    }
  }

  /** The request as stored, for publishing its activity. */
  async received(requestId: string): Promise<ReceivedActivityRequest> {
    const { state } = await this.requests.load(requestId);
    if (state.status === "none") throw new NotFoundError("activity request", requestId);
    return state;
  }

  async get(requestId: string, caller: Caller): Promise<ActivityRequestView> {
    const request = await this.received(requestId);
    requireMayList(caller, request.areaId);
    const [view] = await this.withActivities([request]);
    return view as ActivityRequestView;
  }

  /** Requests in an area and below it, for the staff and station managers who schedule them. */
  async list(areaPrefix: string, page: PageRequest, caller: Caller) {
    requireMayList(caller, areaPrefix);
    const filter = AreaCode.range("state.areaId", areaPrefix);
    const found = await pageOfSnapshots(this.requests.snapshots, filter, page);
    const requests = found.items.flatMap((snapshot) =>
      snapshot.state.status === "received" ? [snapshot.state] : [],
    );
    return { requests: await this.withActivities(requests), nextPageToken: found.nextPageToken };
  }

  private async withActivities(requests: ReceivedActivityRequest[]): Promise<ActivityRequestView[]> {
    const ids = requests.map((request) => request.requestId);
    const published = await this.activities.snapshots
      .find({ _id: { $in: ids } }, { projection: { _id: 1 } })
      .toArray();
    const publishedIds = new Set(published.map((snapshot) => snapshot._id));
    return requests.map((request) => ({
      ...request,
      activityId: publishedIds.has(request.requestId) ? request.requestId : null,
    }));
  }
}
