/**
 * The sign-up storm: BENCH_SIGN_UPS (default 1,000) volunteers sign up at once over gRPC
 * for one shift of BENCH_PLACES (default 50) places. Checks that exactly that many are
 * confirmed on distinct seats and the rest waitlisted, and prints the throughput.
 *
 *   pnpm bench:volunteer-stations      (MONGODB_URI, NATS_URL, FERRETDB_POSTGRESQL_URL as for pnpm bench)
 */
import { volunteerStationsV1 } from "@civic/contracts";
import type { Caller } from "@civic/domain-kit";
import { callUnary, createClientOptions, inProcessCallerTokens } from "@civic/service-kit";
import { startInfrastructure } from "@civic/testing";
import { type ChannelCredentials, type ClientOptions, credentials } from "@grpc/grpc-js";
import { startVolunteerStationsPlatform } from "../support/volunteer-stations-platform.js";

const signUps = Number(process.env.BENCH_SIGN_UPS ?? 1_000);
const places = Number(process.env.BENCH_PLACES ?? 50);
const community = "440402001002";

const infrastructure = await startInfrastructure({ log: (line) => console.log(`[infrastructure] ${line}`) });
// Database commands by "command collection" (finds, inserts, ...), counted during the storm only.
let counting = false;
const commands = new Map<string, number>();
const platform = await startVolunteerStationsPlatform(infrastructure.mongoUri, infrastructure.natsUrl, {
  housekeepingIntervalMs: 60_000,
  onMongoCommand: (event) => {
    if (!counting) return;
    const collection = String(
      event.commandName === "getMore" ? event.command.collection : event.command[event.commandName],
    );
    const key = `${event.commandName} ${collection}`;
    commands.set(key, (commands.get(key) ?? 0) + 1);
  },
});
const client = <Client>(
  create: new (address: string, credentials: ChannelCredentials, options: ClientOptions) => Client,
) => new create(platform.grpcAddress, credentials.createInsecure(), createClientOptions());
const stations = client(volunteerStationsV1.StationServiceClient);
const volunteers = client(volunteerStationsV1.VolunteerServiceClient);
const activities = client(volunteerStationsV1.ActivityServiceClient);
const staff: Caller = { subject: "bench-staff", roles: ["community_staff"], areas: [community] };
const asVolunteer = (volunteerId: string): Caller => ({
  subject: volunteerId,
  roles: ["volunteer"],
  areas: [],
});
const deadline = () => new Date(Date.now() + 600_000);
const callerTokens = (await inProcessCallerTokens()).issuer;

try {
  await callUnary(
    stations.registerStation.bind(stations),
    {
      stationId: "bench-station",
      kind: "service_point",
      name: "Bench service point",
      areaId: community,
      address: "",
      managerIds: [],
    },
    { caller: staff, callerTokens, deadline: deadline() },
  );
  const startsAt = new Date(Date.now() + 86_400_000);
  const published = await callUnary(
    activities.publishActivity.bind(activities),
    {
      stationId: "bench-station",
      title: "Sign-up storm",
      description: "",
      requestId: "",
      shifts: [{ startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), capacity: places }],
    },
    { caller: staff, callerTokens, deadline: deadline() },
  );
  const shiftId = published.activity?.shifts[0]?.shiftId ?? "";
  const ids = Array.from({ length: signUps }, (_, index) => `storm-${index}`);
  for (let batch = 0; batch < ids.length; batch += 50) {
    await Promise.all(
      ids.slice(batch, batch + 50).map((volunteerId) =>
        callUnary(
          volunteers.registerVolunteer.bind(volunteers),
          {
            volunteerId,
            name: volunteerId,
            phone: "13812345678",
            areaId: community,
            skills: [],
            availability: [],
          },
          { caller: asVolunteer(volunteerId), callerTokens, deadline: deadline() },
        ),
      ),
    );
  }
  console.log(`${signUps} volunteers registered; ${signUps} sign-ups at once for ${places} places…`);
  counting = true;
  const started = performance.now();
  const answers = await Promise.allSettled(
    ids.map((volunteerId) =>
      callUnary(
        activities.signUpForShift.bind(activities),
        { shiftId, volunteerId },
        {
          caller: asVolunteer(volunteerId),
          callerTokens,
          deadline: deadline(),
        },
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1_000;
  counting = false;
  const perSignUp = [...commands.entries()]
    .sort(([, a], [, b]) => b - a)
    .map(([key, count]) => `${key}: ${(count / signUps).toFixed(2)}`);
  console.log(`database commands per sign-up: ${perSignUp.join(", ")}`);
  const failed = answers.filter((answer) => answer.status === "rejected");
  const taken = answers.flatMap((answer) =>
    answer.status === "fulfilled" && answer.value.signUp ? [answer.value.signUp] : [],
  );
  const confirmed = taken.filter((signUp) => signUp.status === "confirmed");
  const waitlisted = taken.filter((signUp) => signUp.status === "waitlisted");
  const seats = new Set(confirmed.map((signUp) => signUp.seatNo));
  const roster = await callUnary(
    activities.getShiftRoster.bind(activities),
    { shiftId },
    { caller: staff, callerTokens, deadline: deadline() },
  );
  console.log(
    `sign-up storm: ${signUps} sign-ups in ${seconds.toFixed(1)} s = ${(signUps / seconds).toFixed(0)} sign-ups/s; ` +
      `${confirmed.length} confirmed on ${seats.size} distinct seats, ${waitlisted.length} waitlisted, ${failed.length} failed; ` +
      `roster: ${roster.confirmed} confirmed, ${roster.waitlisted} waitlisted`,
  );
  const correct =
    failed.length === 0 &&
    confirmed.length === places &&
    seats.size === places &&
    waitlisted.length === signUps - places &&
    roster.confirmed === places &&
    roster.waitlisted === signUps - places;
  if (!correct) {
    for (const failure of failed.slice(0, 3)) console.error(failure.reason);
    process.exitCode = 1;
  }
  console.log(correct ? "OK: never over-booked" : "WRONG: see above");
} finally {
  for (const each of [stations, volunteers, activities]) each.close();
  await platform.stop();
  await infrastructure.stop();
}
