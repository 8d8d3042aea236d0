import {
  type CloudEvent,
  followDomainEvent,
  idFromOrigin,
  optionalText,
  PoisonEventError,
  type RunningConsumer,
  requiredText,
  type ServiceConsumerOptions,
} from "@civic/event-log";
import type { ActivityRequestDesk } from "../app/activity-request-desk.js";
import type { ReceiveActivityRequest } from "../domain/activity-request.js";

/** UUIDv5 namespace of the ids of requested activities (the request's id is its activity's). */
const requestIdNamespace = "8c2e4a61-5f3b-5d9e-a7c1-2b8f6e0d4c93";

/** The id of the request (and later the activity) for another domain's task. */
export const activityRequestIdFor = (origin: { domain: string; reference: string }): string =>
  idFromOrigin(origin, requestIdNamespace);

/**
 * Follows `deliberation.resolution.task_requested` (durable
 * `volunteer-stations-deliberation-resolution-task-requested`) and records each task of kind
 * `volunteer_activity` as an activity request, once per taskId. A task that can never be one
 * (a missing field, a bad area or budget) is kept as a dead letter with the reason.
 */
export function startActivityTaskConsumer(
  requests: ActivityRequestDesk,
  options: ServiceConsumerOptions,
): Promise<RunningConsumer> {
  return followDomainEvent({
    follower: "volunteer-stations",
    domain: "deliberation",
    eventType: "resolution.task_requested",
    ...options,
    handle: async (event) => {
      const request = activityRequestOf(event);
      if (!request) return;
      const { created } = await requests.receive(request);
      if (created)
        options.logger.info(
          { requestId: request.requestId, taskId: request.origin.reference },
          "activity requested by a deliberation resolution",
        );
    },
  });
}

/** The activity request a task event asks for, or undefined when the task is another kind. */
export function activityRequestOf(event: CloudEvent): ReceiveActivityRequest | undefined {
  const data = event.data;
  if (data.kind !== "volunteer_activity") return undefined;
  const origin = { domain: "deliberation", reference: requiredText(data, "taskId") };
  const budget = data.budgetFen ?? 0;
  if (typeof budget !== "number") throw new PoisonEventError("budgetFen must be a number");
  return {
    requestId: activityRequestIdFor(origin),
    origin,
    resolutionId: requiredText(data, "resolutionId"),
    areaId: requiredText(data, "areaId"),
    title: requiredText(data, "title"),
    description: optionalText(data, "description"),
    budgetFen: budget,
    requestedBy: requiredText(data, "requestedBy"),
    requestedAt: optionalText(data, "at") || event.time,
  };
}
