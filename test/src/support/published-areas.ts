import type { AreaDirectory } from "@civic/area-replica";
import { ensureDomainStream } from "@civic/event-log";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

export interface PublishedArea {
  areaId: string;
  level: string;
  name: string;
  parentId: string;
  population: number;
  households: number;
}

/**
 * The areas deliberation's tests work in: Nancun community and its third grid (a compound),
 * another community of Gongbei street, and the street itself (not a community).
 */
export const deliberationTestAreas: PublishedArea[] = [
  {
    areaId: "440402001",
    level: "street",
    name: "拱北街道",
    parentId: "440402",
    population: 0,
    households: 0,
  },
  {
    areaId: "440402001002",
    level: "community",
    name: "南村社区",
    parentId: "440402001",
    population: 9_800,
    households: 3_400,
  },
  {
    areaId: "440402001002003",
    level: "grid",
    name: "第三网格",
    parentId: "440402001002",
    population: 1_865,
    households: 652,
  },
  {
    areaId: "440402001009",
    level: "community",
    name: "山场社区",
    parentId: "440402001",
    population: 7_200,
    households: 2_500,
  },
];

/**
 * Publishes `area.defined` events as grid-cases does (its published language, on its
 * stream), for a service under test that keeps a replica of the areas; then waits until
 * `directory` holds every one of them.
 */
export async function publishAreas(
  natsUrl: string,
  namespace: string,
  areas: PublishedArea[],
  directory: AreaDirectory,
): Promise<void> {
  const nats = await connect({ servers: natsUrl });
  try {
    const js = jetstream(nats);
    const stream = await ensureDomainStream(await jetstreamManager(nats), "grid-cases", namespace);
    for (const area of areas) {
      const id = `area-defined-${namespace}-${area.areaId}`;
      const subject = `${stream.subjectPrefix}.area.defined`;
      const event = {
        specversion: "1.0",
        id,
        source: `${namespace}/grid-cases`,
        type: subject,
        subject: `area-${area.areaId}`,
        time: new Date().toISOString(),
        datacontenttype: "application/json",
        stream: `area-${area.areaId}`,
        streamversion: 1,
        data: { ...area, gridSize: "", by: "test", at: new Date().toISOString() },
      };
      await js.publish(subject, JSON.stringify(event), { msgID: id });
    }
  } finally {
    await nats.drain();
  }
  for (let attempt = 0; ; attempt++) {
    const found = await Promise.all(areas.map((area) => directory.get(area.areaId)));
    if (found.every((area) => area !== undefined)) return;
    if (attempt > 600) throw new Error("the area replica did not receive the published areas");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
