import {
  type CloudEvent,
  followDomainEvent,
  type RunningConsumer,
  requiredText,
  type ServiceConsumerOptions,
} from "@civic/event-log";
import type { CharityProjectDesk } from "../app/charity-project-desk.js";

/**
 * Follows `deliberation.resolution.task_requested` and posts the need of each task of kind
 * `charity_project`, once per taskId (the project id derives from it). A task that can never
 * be a project (missing fields, an area that is not a district, street or community) is
 * terminated and kept as a dead letter.
 */
export async function startCharityNeedConsumer(
  projects: CharityProjectDesk,
  options: ServiceConsumerOptions,
): Promise<RunningConsumer> {
  return followDomainEvent({
    ...options,
    follower: "social-registry",
    domain: "deliberation",
    eventType: "resolution.task_requested",
    handle: async (event) => {
      const task = charityTask(event);
      if (task) await projects.postRequestedNeed(task.need, task.requestedBy);
    },
  });
}

function charityTask(event: CloudEvent) {
  const data = event.data;
  if (data.kind !== "charity_project") return undefined;
  const budget = data.budgetFen;
  return {
    need: {
      origin: { domain: "deliberation", reference: requiredText(data, "taskId") },
      areaId: requiredText(data, "areaId"),
      title: requiredText(data, "title"),
      description: requiredText(data, "description"),
      askedFen: typeof budget === "number" ? budget : 0,
    },
    requestedBy: requiredText(data, "requestedBy"),
  };
}
