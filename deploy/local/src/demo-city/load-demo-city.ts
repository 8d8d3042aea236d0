import pMap from "p-map";
import { devToken } from "../dev-token.js";
import { type DemoArea, type DemoCityPlan, demoCityPlan } from "./city-plan.js";
import { type GatewayClient, gatewayClient } from "./gateway-client.js";
import type { ProgressListener } from "./progress-bar.js";
import { departments } from "./seed-figures.js";

export interface DemoCityOptions {
  /** Counts and the city's population are scaled by this; rates stay the seeds'. */
  scale?: number;
  /** Calls under way at once. */
  concurrency?: number;
  onProgress?: ProgressListener;
  /** `Bearer <token>` of a platform administrator; a local development token's unless given. */
  authorization?: string;
}

export interface DemoCityReport {
  areas: number;
  departments: number;
  gridStaff: number;
  organisations: number;
  /** Phases found complete from an earlier run and skipped. */
  skipped: string[];
}

interface Phase<Item> {
  name: string;
  items: Item[];
  /** Whether an earlier run finished the phase: its last item is there as this run would leave it. */
  finished(client: GatewayClient, last: Item): Promise<boolean>;
  load(client: GatewayClient, item: Item): Promise<void>;
}

const levelOrder: DemoArea["level"][] = ["city", "district", "street", "community", "grid"];

/**
 * Loads the demo city through the public API as a platform administrator. Idempotent: a phase
 * an earlier run finished is skipped, and an interrupted one is run again, where what exists
 * answers 409 and is left as it is.
 */
export async function loadDemoCity(
  gatewayUrl: string,
  options: DemoCityOptions = {},
): Promise<DemoCityReport> {
  const { concurrency = 4, onProgress = () => {} } = options;
  const plan = demoCityPlan(options.scale);
  const authorization =
    options.authorization ??
    `Bearer ${await devToken({ subject: "demo-loader", roles: ["platform_admin"] })}`;
  const client = gatewayClient(gatewayUrl, authorization);
  const skipped: string[] = [];

  const run = async <Item>(phase: Phase<Item>, byGroup: (item: Item) => unknown = () => 0) => {
    const last = phase.items.at(-1);
    if (last === undefined || (await phase.finished(client, last))) {
      skipped.push(phase.name);
      return;
    }
    let done = 0;
    onProgress(phase.name, 0, phase.items.length);
    // Items of one group (an area level) before the next: parents exist before children.
    for (const group of groupsInOrder(phase.items, byGroup)) {
      await pMap(
        group,
        async (item) => {
          await phase.load(client, item);
          onProgress(phase.name, ++done, phase.items.length);
        },
        { concurrency },
      );
    }
  };

  await run(areasPhase(plan), (area) => levelOrder.indexOf(area.level));
  await run(departmentsPhase());
  await run(gridStaffPhase(plan));
  await run(organisationsPhase(plan));
  return {
    areas: plan.areas.length,
    departments: departments.length,
    gridStaff: plan.gridStaff.length,
    organisations: plan.organisations.length,
    skipped,
  };
}

function groupsInOrder<Item>(items: Item[], byGroup: (item: Item) => unknown): Item[][] {
  const groups = new Map<unknown, Item[]>();
  for (const item of items) groups.set(byGroup(item), [...(groups.get(byGroup(item)) ?? []), item]);
  return [...groups.values()];
}

const areasPhase = (plan: DemoCityPlan): Phase<DemoArea> => ({
  name: "areas",
  items: plan.areas,
  finished: async (client, last) => (await client.get(`/api/v1/areas/${last.areaId}`)) !== undefined,
  load: async (client, area) => {
    await client.post("/api/v1/areas", area, `demo-area-${area.areaId}`);
  },
});

const departmentsPhase = (): Phase<(typeof departments)[number]> => ({
  name: "departments",
  items: departments,
  finished: async (client, [departmentId]) => {
    const listed = await client.get<{ departments: { departmentId: string }[] }>(
      "/api/v1/departments?pageSize=100",
    );
    return listed?.departments.some((department) => department.departmentId === departmentId) ?? false;
  },
  load: async (client, [departmentId, name]) => {
    await client.post("/api/v1/departments", { departmentId, name }, `demo-department-${departmentId}`);
  },
});

const gridStaffPhase = (plan: DemoCityPlan): Phase<DemoCityPlan["gridStaff"][number]> => ({
  name: "grid staff",
  items: plan.gridStaff,
  finished: async (client, last) => {
    const grid = await client.get<{ staff: { personId: string }[] }>(`/api/v1/areas/${last.gridId}`);
    return grid?.staff.some((member) => member.personId === last.member.personId) ?? false;
  },
  load: async (client, { gridId, member }) => {
    await client.post(`/api/v1/areas/${gridId}/staff`, member, `demo-staff-${member.personId}`);
  },
});

const organisationsPhase = (plan: DemoCityPlan): Phase<DemoCityPlan["organisations"][number]> => ({
  name: "organisations",
  items: plan.organisations,
  finished: async (client, last) =>
    (await client.get(`/api/v1/organisations/${last.creditCode}`)) !== undefined,
  load: async (client, { active, ...organisation }) => {
    const path = `/api/v1/organisations/${organisation.creditCode}`;
    const key = `demo-organisation-${organisation.creditCode}`;
    const filed = await client.post("/api/v1/organisations", organisation, key);
    if (!active) return;
    // From the status it has to active, reading it after each step: a step that timed out may
    // have happened after all, and its retry is then refused as not fitting the new status.
    let status = filed === 409 ? await statusOf(client, path) : "filed";
    for (let attempt = 1; status === "filed" || status === "registered"; attempt++) {
      const action = status === "filed" ? "approve_registration" : "activate";
      const step = client.post(
        `${path}/status-changes`,
        { action, effectiveOn: organisation.filedOn, reason: "演示数据" },
        `${key}-${action}-${attempt}`,
      );
      const failure = await step.then(
        () => undefined,
        (error: unknown) => error,
      );
      status = await statusOf(client, path);
      if (failure && attempt >= 3) throw failure;
    }
  },
});

const statusOf = async (client: GatewayClient, path: string) =>
  (await client.get<{ status: string }>(path))?.status;
