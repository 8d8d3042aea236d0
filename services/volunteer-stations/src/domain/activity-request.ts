import { StationFieldChecks } from "./field-checks.js";

/**
 * An activity another domain asked for (a deliberation resolution's task of kind
 * `volunteer_activity`): it waits until a station in its area publishes an activity for it,
 * with the request's id as the activity's id, so a request is fulfilled by one activity only.
 */
export interface ReceivedActivityRequest {
  status: "received";
  requestId: string;
  origin: { domain: string; reference: string };
  resolutionId: string;
  areaId: string;
  title: string;
  description: string;
  /** What the resolution set aside for it, in fen (0 when it named no budget). */
  budgetFen: number;
  requestedBy: string;
  requestedAt: string;
}

export type ActivityRequestState = { status: "none" } | ReceivedActivityRequest;

export type ActivityRequestEvent = {
  type: "activity_request.received";
  data: Omit<ReceivedActivityRequest, "status">;
};

export const initialActivityRequestState = (): ActivityRequestState => ({ status: "none" });

export function evolveActivityRequest(
  _state: ActivityRequestState,
  event: ActivityRequestEvent,
): ActivityRequestState {
  return { status: "received", ...event.data };
}

export type ReceiveActivityRequest = Omit<ReceivedActivityRequest, "status">;

/** Checks a requested activity as another domain described it; bad input can never become one. */
export function decideReceiveActivityRequest(command: ReceiveActivityRequest): ActivityRequestEvent {
  new StationFieldChecks()
    .text("title", command.title, { max: 100 })
    .text("description", command.description, { max: 2_000, optional: true })
    .areaCode("areaId", command.areaId)
    .check(
      "budgetFen",
      Number.isSafeInteger(command.budgetFen) && command.budgetFen >= 0,
      "must be a whole number of fen, 0 or more",
    )
    .throwIfAny();
  return {
    type: "activity_request.received",
    data: { ...command, title: command.title.trim(), description: command.description.trim() },
  };
}

/** True when a station in `stationAreaId` serves the request's area (one lies within the other). */
export const stationServesRequest = (stationAreaId: string, request: ReceivedActivityRequest): boolean =>
  stationAreaId.startsWith(request.areaId) || request.areaId.startsWith(stationAreaId);
