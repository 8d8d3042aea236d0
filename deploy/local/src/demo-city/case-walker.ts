import type { DevCaller } from "../dev-token.js";
import { type CaseProgress, caseProgress, type DemoCase } from "./city-plan.js";
import type { GatewayClient } from "./gateway-client.js";

export interface DemoCaseCategory {
  code: string;
  name: string;
  requestType: string;
  defaultDepartmentId: string;
}

interface CaseJson {
  caseId: string;
  status: string;
  departmentId?: string;
}

export interface ListedCase extends CaseJson {
  title: string;
}

/** Every case whose area starts with `areaIdPrefix`, page by page. */
export async function casesIn(client: GatewayClient, areaIdPrefix: string): Promise<ListedCase[]> {
  const found: ListedCase[] = [];
  let pageToken = "";
  do {
    const page = await client.get<{ cases: ListedCase[]; nextPageToken?: string }>(
      `/api/v1/cases?areaIdPrefix=${areaIdPrefix}&pageSize=200&pageToken=${pageToken}`,
    );
    found.push(...(page?.cases ?? []));
    pageToken = page?.nextPageToken ?? "";
  } while (pageToken !== "");
  return found;
}

/** Who takes a case's steps: the command centre, and the department it is dispatched to. */
export interface CaseActors {
  commandCentre: GatewayClient;
  department(departmentId: string): GatewayClient;
}

export const commandCentreCaller: DevCaller = {
  subject: "demo-command-centre",
  roles: ["command_centre"],
  areas: ["440402"],
};
export const departmentCaller = (departmentId: string): DevCaller => ({
  subject: `demo-${departmentId}`,
  roles: ["department_staff"],
  department: departmentId,
});

export const caseTitle = (planned: DemoCase, category: DemoCaseCategory) =>
  `【演示 ${String(planned.serial).padStart(6, "0")}】${category.name.split(" ")[0]}`;

const progressOf = (status: string) => caseProgress.indexOf(status as CaseProgress);

/**
 * Submits a planned case (unless `existing` is it, from an earlier run or opened by another
 * service) and takes it step by step to its target status. Each step is chosen from the status
 * the case has now, so a case an earlier run left half-way, or one a routing rule dispatched on
 * acceptance, goes on from where it is. `key` starts the Idempotency-Keys of its steps.
 */
export async function walkCase(
  actors: CaseActors,
  planned: DemoCase,
  category: DemoCaseCategory,
  existing: CaseJson | undefined,
  key = `demo-case-${planned.serial}`,
): Promise<void> {
  let current =
    existing ??
    (await actors.commandCentre.postForJson<CaseJson>(
      "/api/v1/cases",
      {
        channel: "hotline_12345",
        requestType: category.requestType,
        categoryCode: category.code,
        title: caseTitle(planned, category),
        description: `12345热线来电反映：${category.name.split(" ")[0]}，请尽快处理。`,
        areaId: planned.gridId,
        address: `网格 ${planned.gridId}`,
      },
      key,
    ));
  const departmentId = category.defaultDepartmentId || "command-centre";
  for (let steps = 0; progressOf(current.status) < progressOf(planned.target); steps++) {
    if (steps === 12) throw new Error(`demo city: case ${current.caseId} stuck at ${current.status}`);
    const [actor, step] = nextStep(actors, current, planned, departmentId);
    const path = `/api/v1/cases/${current.caseId}/transitions`;
    const answer = await actor.postOnce(path, step, `${key}-${Object.keys(step)[0]}-${steps}`);
    // A refused or timed-out step may have been taken by now (a routing rule, an earlier try).
    current =
      answer.status === 200
        ? (answer.body as CaseJson)
        : ((await actors.commandCentre.get<CaseJson>(`/api/v1/cases/${current.caseId}`)) ?? current);
  }
}

function nextStep(
  actors: CaseActors,
  current: CaseJson,
  planned: DemoCase,
  departmentId: string,
): [GatewayClient, Record<string, object>] {
  const department = () => actors.department(current.departmentId ?? departmentId);
  switch (current.status) {
    case "submitted":
      return [actors.commandCentre, { accept: {} }];
    case "accepted":
    case "returned":
      return [actors.commandCentre, { dispatch: { departmentId } }];
    case "dispatched":
      return [department(), { signFor: {} }];
    case "signed_for":
      return [department(), { startWork: {} }];
    case "in_progress":
      return [department(), { resolve: { result: "已到现场处理完毕，回复来电人。" } }];
    case "resolved":
      return [
        actors.commandCentre,
        { recordReturnVisit: { satisfaction: planned.satisfaction, comment: "" } },
      ];
    case "visited":
      return [actors.commandCentre, { close: {} }];
    default:
      throw new Error(`demo city: case ${current.caseId} is ${current.status}, which the demo does not walk`);
  }
}
