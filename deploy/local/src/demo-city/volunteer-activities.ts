import pMap from "p-map";
import type { DemoStation } from "./city-plan.js";
import type { GatewayClient } from "./gateway-client.js";
import type { Phase } from "./phase.js";
import { between, pick, seededRandom } from "./random.js";

/**
 * Volunteer activities: each station runs one activity of a kind the seeds name, with one
 * shift that the station's volunteers sign up for; the organiser records and approves the
 * minutes each served.
 */
export interface DemoVolunteer {
  volunteerId: string;
  name: string;
  phone: string;
  /** Minutes the organiser records for the shift (at most its length). */
  servedMinutes: number;
}

export interface DemoVolunteerActivity {
  stationId: string;
  areaId: string;
  title: string;
  description: string;
  shiftMinutes: number;
  volunteers: DemoVolunteer[];
}

/** The activities the seeds name (seed 000), with the length of their shift in minutes. */
const activityKinds: [title: string, description: string, shiftMinutes: number][] = [
  ["快乐四点半", "放学后为双职工家庭的孩子提供课后托管和作业辅导", 150],
  ["家庭医生进社区", "家庭医生志愿者为长者量血压、做健康咨询", 240],
  ["长者日间照料", "陪伴日间照料中心的长者，协助午餐和康复活动", 480],
  ["消防安全宣传", "入户讲解用电用气安全，检查楼道消防通道", 180],
  ["守护古驿道", "清理古驿道沿线垃圾，讲解驿道历史", 240],
];

/** Volunteers of a station who sign up for its shift (the shift's capacity). */
export const volunteersPerStation = 10;

const surnames = [..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"];
const givenNames = [..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"];

/**
 * One activity per station, its kind in turn, and ten volunteers of the station's community
 * each serving the shift less up to half an hour (arriving late, leaving early).
 */
export function demoVolunteerPlan(stations: DemoStation[]): DemoVolunteerActivity[] {
  const random = seededRandom(4_300);
  return stations.map((station, stationIndex) => {
    const [kind, description, shiftMinutes] = activityKinds[
      stationIndex % activityKinds.length
    ] as (typeof activityKinds)[number];
    return {
      stationId: station.stationId,
      areaId: station.areaId,
      title: `${station.name}·${kind}`,
      description,
      shiftMinutes,
      volunteers: Array.from({ length: volunteersPerStation }, (_, index): DemoVolunteer => {
        const serial = stationIndex * volunteersPerStation + index + 1;
        return {
          volunteerId: `demo-volunteer-${serial}`,
          name: `${pick(random, surnames)}${pick(random, givenNames)}${pick(random, givenNames)}`,
          phone: `1390402${String(serial).padStart(4, "0")}`,
          servedMinutes: shiftMinutes - 5 * between(random, 0, 6),
        };
      }),
    };
  });
}

/**
 * How long after publishing its shift starts: time for the station's sign-ups, which close
 * when the shift starts, while the hours (recorded once it has started) come in the last phase.
 */
const shiftLeadMs = 30_000;

interface ActivityJson {
  activityId: string;
  title: string;
  shifts: { shiftId: string; startsAt: string }[];
}

/** The station's demo activity, found by its title among the activities of its area. */
async function activityOf(
  client: GatewayClient,
  planned: DemoVolunteerActivity,
): Promise<ActivityJson | undefined> {
  let pageToken = "";
  do {
    const page = await client.get<{ activities: ActivityJson[]; nextPageToken?: string }>(
      `/api/v1/volunteer-activities?areaId=${planned.areaId}&pageSize=200&pageToken=${pageToken}`,
    );
    const found = page?.activities.find((activity) => activity.title === planned.title);
    if (found) return found;
    pageToken = page?.nextPageToken ?? "";
  } while (pageToken !== "");
  return undefined;
}

const signUpPath = (shiftId: string, volunteerId: string) =>
  `/api/v1/volunteer-shifts/${shiftId}/sign-ups/${volunteerId}`;
const hasStarted = (shift: { startsAt: string }) => Date.now() >= Date.parse(shift.startsAt);

/**
 * Registers each station's volunteers, publishes its activity with a shift starting shortly,
 * and signs the volunteers up (as the platform's staff). A sign-up that exists is left alone;
 * an activity whose shift has started takes no more sign-ups, so an interrupted run leaves it
 * with those it had.
 */
export function volunteerActivitiesPhase(activities: DemoVolunteerActivity[]): Phase<DemoVolunteerActivity> {
  return {
    name: "volunteer activities",
    items: activities,
    finished: async (client, last) => {
      const activity = await activityOf(client, last);
      const shift = activity?.shifts[0];
      if (!shift) return false;
      if (hasStarted(shift)) return true;
      for (const volunteer of last.volunteers)
        if ((await client.get(signUpPath(shift.shiftId, volunteer.volunteerId))) === undefined) return false;
      return true;
    },
    load: async (client, planned) => {
      for (const volunteer of planned.volunteers) {
        const { servedMinutes: _, ...registration } = volunteer;
        await client.post(
          "/api/v1/volunteers",
          { ...registration, areaId: planned.areaId, skills: [], availability: [] },
          `demo-volunteer-${volunteer.volunteerId}`,
        );
      }
      const activity = (await activityOf(client, planned)) ?? (await publish(client, planned));
      const shift = activity.shifts[0];
      if (!shift) throw new Error(`demo city: activity ${activity.activityId} has no shift`);
      for (const volunteer of planned.volunteers) {
        if (hasStarted(shift)) return;
        if ((await client.get(signUpPath(shift.shiftId, volunteer.volunteerId))) !== undefined) continue;
        const answer = await client.postOnce(
          `/api/v1/volunteer-shifts/${shift.shiftId}/sign-ups`,
          { volunteerId: volunteer.volunteerId },
          `demo-sign-up-${shift.shiftId}~${volunteer.volunteerId}`,
        );
        const reason = (answer.body as { reason?: string } | undefined)?.reason;
        if (answer.status === 201 || reason === "ALREADY_SIGNED_UP" || reason === "SHIFT_STARTED") continue;
        throw new Error(
          `demo city: signing ${volunteer.volunteerId} up answered ${answer.status} ${JSON.stringify(answer.body)}`,
        );
      }
    },
  };
}

async function publish(client: GatewayClient, planned: DemoVolunteerActivity): Promise<ActivityJson> {
  const startsAt = new Date(Date.now() + shiftLeadMs);
  const endsAt = new Date(startsAt.getTime() + planned.shiftMinutes * 60_000);
  return client.postForJson<ActivityJson>(
    "/api/v1/volunteer-activities",
    {
      stationId: planned.stationId,
      title: planned.title,
      description: planned.description,
      shifts: [
        {
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          capacity: planned.volunteers.length,
        },
      ],
    },
    `demo-activity-${planned.stationId}`,
  );
}

interface HoursJson {
  status: string;
}

/**
 * Once each shift has started (waiting for the few that have not), the organiser records the
 * minutes each signed-up volunteer served and approves them: the hours go on the volunteers'
 * ledgers and into the scorecard. Recorded or approved hours are left as they are.
 */
export function volunteerHoursPhase(activities: DemoVolunteerActivity[]): Phase<DemoVolunteerActivity> {
  const hoursPath = (shiftId: string, volunteerId: string) => `${signUpPath(shiftId, volunteerId)}/hours`;
  return {
    name: "volunteer hours",
    items: activities,
    finished: async (client, last) => {
      const shift = (await activityOf(client, last))?.shifts[0];
      if (!shift || !hasStarted(shift)) return false;
      for (const volunteer of last.volunteers) {
        const signedUp = await client.get(signUpPath(shift.shiftId, volunteer.volunteerId));
        const hours = await client.get<HoursJson>(hoursPath(shift.shiftId, volunteer.volunteerId));
        if (signedUp !== undefined && hours?.status !== "approved") return false;
      }
      return true;
    },
    load: async (client, planned) => {
      const activity = await activityOf(client, planned);
      const shift = activity?.shifts[0];
      if (!shift) throw new Error(`demo city: the activity "${planned.title}" is not there`);
      const untilStart = Date.parse(shift.startsAt) - Date.now();
      if (untilStart > 0) await new Promise((resolve) => setTimeout(resolve, untilStart + 1_000));
      // A volunteer's hours are their own stream: the station's ten are recorded side by side.
      await pMap(
        planned.volunteers,
        async (volunteer) => {
          const path = hoursPath(shift.shiftId, volunteer.volunteerId);
          const hours = () => client.get<HoursJson>(path);
          const key = `demo-hours-${shift.shiftId}~${volunteer.volunteerId}`;
          let status = (await hours())?.status;
          if (status === undefined) {
            const body = { minutes: volunteer.servedMinutes, note: "组织方按签到表记录" };
            const answer = await client.postOnce(path, body, key);
            // A volunteer without a place (an interrupted run signed up only some) served nothing.
            if ((answer.body as { reason?: string } | undefined)?.reason === "NOT_SIGNED_UP") return;
            if (answer.status !== 201 && answer.status !== 200)
              await client.postUntilDone(
                path,
                body,
                `${key}~retry`,
                async () => (await hours()) !== undefined,
              );
            status = "pending";
          }
          if (status === "pending")
            await client.postUntilDone(
              `${path}/approval`,
              {},
              `${key}-approval`,
              async () => (await hours())?.status === "approved",
            );
        },
        { concurrency: 5 },
      );
    },
  };
}
