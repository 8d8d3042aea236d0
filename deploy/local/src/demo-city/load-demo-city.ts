import pMap from "p-map";
import { type DevCaller, devToken } from "../dev-token.js";
import {
  type CaseActors,
  casesIn,
  commandCentreCaller,
  type DemoCaseCategory,
  departmentCaller,
  type ListedCase,
  walkCase,
} from "./case-walker.js";
import {
  caseProgress,
  type DemoArea,
  type DemoCase,
  type DemoCityPlan,
  type DemoPartyOrganisation,
  demoCityPlan,
} from "./city-plan.js";
import { deliberationOrganiser, deliberationPhase, demoDeliberationPlan } from "./deliberation.js";
import { type GatewayClient, gatewayClient } from "./gateway-client.js";
import { demoLiaisonPlan, liaisonPhase } from "./liaison-work.js";
import { demoMaintenancePlan, maintenanceFundsPhase } from "./maintenance-funds.js";
import type { Phase } from "./phase.js";
import type { ProgressListener } from "./progress-bar.js";
import { departments, seedFigures } from "./seed-figures.js";
import { demoVolunteerPlan, volunteerActivitiesPhase, volunteerHoursPhase } from "./volunteer-activities.js";

export interface DemoCityOptions {
  /** Counts and the city's population are scaled by this; rates stay the seeds'. */
  scale?: number;
  /** Calls under way at once. */
  concurrency?: number;
  onProgress?: ProgressListener;
  /** The Authorization header for a caller; a local development token's unless given. */
  authorizationFor?: (caller: DevCaller) => Promise<string>;
}

export interface DemoCityReport {
  areas: number;
  departments: number;
  gridStaff: number;
  organisations: number;
  partyOrganisations: number;
  stations: number;
  /** Hotline cases; the liaison visits' problems become cases too. */
  cases: number;
  liaisonCadres: number;
  volunteerActivities: number;
  councils: number;
  maintenanceFunds: number;
  /** Phases found complete from an earlier run and skipped. */
  skipped: string[];
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
  const scale = options.scale ?? 1;
  const plan = demoCityPlan(scale);
  const liaison = demoLiaisonPlan(plan.areas, scale);
  const volunteering = demoVolunteerPlan(plan.stations);
  const councils = demoDeliberationPlan(plan.areas);
  const maintenanceFunds = demoMaintenancePlan(councils.map((council) => council.compoundId));
  const authorizationFor =
    options.authorizationFor ?? (async (caller: DevCaller) => `Bearer ${await devToken(caller)}`);
  const clientOf = async (caller: DevCaller) => gatewayClient(gatewayUrl, await authorizationFor(caller));
  const client = await clientOf({ subject: "demo-loader", roles: ["platform_admin"] });
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
  // A grid's four are its stream's next versions: one of them at a time per grid, or a member
  // whose append lost the race (409) would be taken for one already there.
  await run(gridStaffPhase(plan), (staff) =>
    plan.gridStaff.filter((each) => each.gridId === staff.gridId).indexOf(staff),
  );
  await run(organisationsPhase(plan));
  await run(partyOrganisationsPhase(plan), (organisation) => organisation.level);
  await run(stationsPhase(plan));
  // Before the cases: the shifts start while the rest loads, and their hours come last.
  await run(volunteerActivitiesPhase(volunteering));
  const departmentClients = new Map(
    await Promise.all(
      departments.map(
        async ([departmentId]) => [departmentId, await clientOf(departmentCaller(departmentId))] as const,
      ),
    ),
  );
  const actors: CaseActors = {
    commandCentre: await clientOf(commandCentreCaller),
    department: (departmentId) => departmentClients.get(departmentId) ?? client,
  };
  const categories = await caseCategories(client);
  await run(casesPhase(plan, actors, categories));
  await run(liaisonPhase(liaison, actors, categories, clientOf));
  const organiser = await clientOf(deliberationOrganiser);
  await run(deliberationPhase(councils, organiser, clientOf));
  await run(maintenanceFundsPhase(maintenanceFunds, organiser));
  await run(volunteerHoursPhase(volunteering));
  return {
    areas: plan.areas.length,
    departments: departments.length,
    gridStaff: plan.gridStaff.length,
    organisations: plan.organisations.length,
    partyOrganisations: plan.partyOrganisations.length,
    stations: plan.stations.length,
    cases: plan.cases.length,
    liaisonCadres: liaison.length,
    volunteerActivities: volunteering.length,
    councils: councils.length,
    maintenanceFunds: maintenanceFunds.length,
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

const stationsPhase = (plan: DemoCityPlan): Phase<DemoCityPlan["stations"][number]> => ({
  name: "stations",
  items: plan.stations,
  finished: async (client, last) =>
    (await client.get(`/api/v1/volunteer-stations/${last.stationId}`)) !== undefined,
  load: async (client, station) => {
    await client.post("/api/v1/volunteer-stations", station, `demo-station-${station.stationId}`);
  },
});

function partyOrganisationsPhase(plan: DemoCityPlan): Phase<DemoPartyOrganisation> {
  const tree = new PartyTree(plan.partyOrganisations);
  return {
    name: "party tree",
    items: plan.partyOrganisations,
    finished: async (client, last) => (await tree.idOf(client, last.areaId)) !== undefined,
    load: async (client, organisation) => {
      if ((await tree.idOf(client, organisation.areaId)) !== undefined) return;
      const parentId =
        organisation.parentAreaId === "" ? "" : await tree.idOf(client, organisation.parentAreaId);
      const { level, name, areaId } = organisation;
      // Ids are the service's: after a timeout the tree is read again before founding anew.
      for (let attempt = 1; attempt <= 5; attempt++) {
        const answer = await client.postOnce(
          "/api/v1/party-organisations",
          { level, name, parentId, areaId },
          `demo-party-organisation-${areaId}~${attempt}`,
        );
        if (answer.status === 201 || answer.status === 200) {
          tree.remember(parentId ?? "", areaId, (answer.body as { organisationId: string }).organisationId);
          return;
        }
        if (answer.status !== 504) {
          throw new Error(
            `demo city: founding ${name} answered ${answer.status} ${JSON.stringify(answer.body)}`,
          );
        }
        tree.forget(parentId ?? "");
        if ((await tree.idOf(client, areaId)) !== undefined) return;
      }
      throw new Error(`demo city: founding ${name} timed out five times`);
    },
  };
}

/**
 * Party organisations get their ids from the service, so the tree is found again by area:
 * an organisation is the child of its parent's organisation that works in its area.
 */
class PartyTree {
  private readonly parentAreaOf: Map<string, string>;
  private readonly childrenOf = new Map<string, Promise<Map<string, string>>>();

  constructor(organisations: DemoPartyOrganisation[]) {
    this.parentAreaOf = new Map(
      organisations.map((organisation) => [organisation.areaId, organisation.parentAreaId]),
    );
  }

  async idOf(client: GatewayClient, areaId: string): Promise<string | undefined> {
    const parentArea = this.parentAreaOf.get(areaId) ?? "";
    const parentId = parentArea === "" ? "" : await this.idOf(client, parentArea);
    if (parentId === undefined) return undefined;
    return (await this.children(client, parentId)).get(areaId);
  }

  async remember(parentId: string, areaId: string, organisationId: string) {
    (await this.childrenOf.get(parentId))?.set(areaId, organisationId);
  }

  forget(parentId: string) {
    this.childrenOf.delete(parentId);
  }

  private children(client: GatewayClient, parentId: string): Promise<Map<string, string>> {
    let children = this.childrenOf.get(parentId);
    if (!children) {
      children = this.listChildren(client, parentId);
      this.childrenOf.set(parentId, children);
    }
    return children;
  }

  private async listChildren(client: GatewayClient, parentId: string): Promise<Map<string, string>> {
    const children = new Map<string, string>();
    let pageToken = "";
    do {
      const page = await client.get<{
        organisations: { organisationId: string; areaId: string }[];
        nextPageToken?: string;
      }>(`/api/v1/party-organisations?parentId=${parentId}&pageSize=200&pageToken=${pageToken}`);
      for (const organisation of page?.organisations ?? [])
        children.set(organisation.areaId, organisation.organisationId);
      pageToken = page?.nextPageToken ?? "";
    } while (pageToken !== "");
    return children;
  }
}

/** The shipped or stored case catalogue, by code, so a plan's pick is the same category each run. */
async function caseCategories(client: GatewayClient): Promise<DemoCaseCategory[]> {
  const listed = await client.get<{ categories: DemoCaseCategory[] }>("/api/v1/case-categories?pageSize=200");
  return [...(listed?.categories ?? [])].sort((one, other) => one.code.localeCompare(other.code));
}

const demoSerial = /^【演示 (\d{6})】/;

/** The demo's hotline cases already in `areaId` (prefix), by serial. */
async function demoCasesIn(client: GatewayClient, areaId: string): Promise<Map<number, ListedCase>> {
  const found = new Map<number, ListedCase>();
  for (const listed of await casesIn(client, areaId)) {
    const serial = demoSerial.exec(listed.title)?.[1];
    if (serial) found.set(Number(serial), listed);
  }
  return found;
}

function casesPhase(plan: DemoCityPlan, actors: CaseActors, categories: DemoCaseCategory[]): Phase<DemoCase> {
  const categoryOf = (planned: DemoCase) =>
    categories[Math.floor(planned.categoryPick * categories.length)] as DemoCaseCategory;
  let earlier: Promise<Map<number, ListedCase>> | undefined;
  return {
    name: "cases",
    items: plan.cases,
    finished: async (client, last) => {
      const listed = (await demoCasesIn(client, last.gridId)).get(last.serial);
      return (
        listed !== undefined &&
        caseProgress.indexOf(listed.status as never) >= caseProgress.indexOf(last.target)
      );
    },
    load: async (client, planned) => {
      earlier ??= demoCasesIn(client, seedFigures.district.areaId);
      await walkCase(actors, planned, categoryOf(planned), (await earlier).get(planned.serial));
    },
  };
}
