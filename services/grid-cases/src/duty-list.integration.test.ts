import { randomBytes } from "node:crypto";
import { gridCasesV1 } from "@civic/contracts";
import type { Caller } from "@civic/domain-kit";
import { clientInterceptors, inProcessCallerTokens, parseGrpcError } from "@civic/service-kit";
import { uniqueDatabaseName } from "@civic/testing";
import { type Client, credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { MongoClient } from "mongodb";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningGridCases, startGridCases } from "./service.js";

const v1 = gridCasesV1;
const admin: Caller = { subject: "admin-1", roles: ["platform_admin"], areas: [] };
const centre: Caller = { subject: "cc-1", roles: ["command_centre"], areas: ["440402"] };
const gongbeiStaff: Caller = { subject: "ss-gb", roles: ["street_staff"], areas: ["440402001"] };
const civilAffairs: Caller = {
  subject: "ds-ca",
  roles: ["department_staff"],
  areas: [],
  department: "civil-affairs",
};
const nancun = "440402001002";
const lianhua = "440402001003";
/** The service's clock: every task is handed on 10 April 2027 (China time). */
const handedAt = new Date("2027-04-10T02:00:00Z");

const statisticsItem: gridCasesV1.DutyItem = {
  code: "population-statistics",
  name: "人口信息采集",
  taskKinds: ["population-statistics"],
  caseCategoryCodes: [],
  legalBasis: "《全国人口普查条例》第十二条",
};
const funds: gridCasesV1.FundsTransfer = {
  amountFen: 250_000,
  payingDepartmentId: "civil-affairs",
  budgetItem: "2027 消防安全专项经费",
  documentReference: "香民发〔2027〕12号",
};

type Unary<Request, Response> = (
  request: Request,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: Response) => void,
) => unknown;

describe("duty lists and community tasks over gRPC, against real NATS and the database", () => {
  let service: RunningGridCases;
  let dutyLists: gridCasesV1.DutyListServiceClient;
  let areas: gridCasesV1.AreaServiceClient;
  let mongo: MongoClient;
  const databaseName = uniqueDatabaseName("grid_cases_duty");

  /** Calls `name` of `client` as `caller` (signed as the gateway signs callers). */
  const call = async <Response>(client: Client, name: string, request: unknown, caller: Caller) => {
    const { issuer } = await inProcessCallerTokens();
    const metadata = await issuer.toMetadata(caller, new Metadata());
    const invoke = (client as unknown as Record<string, Unary<unknown, Response>>)[name];
    if (!invoke) throw new Error(`no method ${name}`);
    return new Promise<Response>((resolve, reject) =>
      invoke.call(client, request, metadata, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  };
  const duty = <Response>(name: keyof gridCasesV1.DutyListServiceClient, request: unknown, caller: Caller) =>
    call<Response>(dutyLists, name, request, caller);
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (thrown: ServiceError) => thrown,
    );
    if (!error) throw new Error("expected the call to fail");
    return parseGrpcError(error);
  };
  const publish = (areaId: string, baseVersion: number, items: gridCasesV1.DutyItem[], caller: Caller) =>
    duty<gridCasesV1.PublishDutyListResponse>("publishDutyList", { areaId, baseVersion, items }, caller);
  const hand = (request: Partial<gridCasesV1.HandCommunityTaskRequest>, caller: Caller = civilAffairs) =>
    duty<gridCasesV1.HandCommunityTaskResponse>(
      "handCommunityTask",
      {
        communityId: nancun,
        title: "2027 年流动人口统计",
        description: "",
        taskKind: "population-statistics",
        caseCategoryCode: "",
        ...request,
      },
      caller,
    );
  const report = (areaId: string, period: string) =>
    duty<gridCasesV1.GetDutyReportResponse>("getDutyReport", { areaId, period }, centre);
  const stored = (collection: string) => mongo.db(databaseName).collection(collection).countDocuments({});

  beforeAll(async () => {
    service = await startGridCases(
      {
        MONGODB_URI: inject("mongoUri"),
        MONGODB_DATABASE: databaseName,
        NATS_URL: inject("natsUrl"),
        EVENT_NAMESPACE: `gc_${databaseName.slice(-8)}`,
        GRPC_PORT: 0,
        SHUTDOWN_GRACE_MS: 2_000,
        SLA_WATCH_INTERVAL_MS: 60_000,
        PERSONAL_DATA_KEY: randomBytes(32).toString("base64"),
        SAFETY_INDEX_INDICATORS: "three",
      },
      pino({ level: "silent" }),
      { now: () => handedAt },
    );
    const channel = [
      `127.0.0.1:${service.grpcPort}`,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ] as const;
    dutyLists = new v1.DutyListServiceClient(...channel);
    areas = new v1.AreaServiceClient(...channel);
    mongo = await MongoClient.connect(inject("mongoUri"));
    const define = (areaId: string, level: gridCasesV1.AreaLevel, name: string) =>
      call(areas, "defineArea", { areaId, level, name, population: 0, households: 0, gridSize: 0 }, admin);
    await define("440400", v1.AreaLevel.AREA_LEVEL_CITY, "珠海市");
    await define("440402", v1.AreaLevel.AREA_LEVEL_DISTRICT, "香洲区");
    await define("440402001", v1.AreaLevel.AREA_LEVEL_STREET, "拱北街道");
    await define(nancun, v1.AreaLevel.AREA_LEVEL_COMMUNITY, "南村社区");
    await define(lianhua, v1.AreaLevel.AREA_LEVEL_COMMUNITY, "莲花社区");
    await call(areas, "registerDepartment", { departmentId: "civil-affairs", name: "区民政局" }, admin);
  });
  afterAll(async () => {
    dutyLists?.close();
    areas?.close();
    for (const step of service?.stops ?? []) await step.stop();
    await mongo?.db(databaseName).dropDatabase();
    await mongo?.close();
  });

  it("refuses every task while no list applies, stores the refusal, and names the rule", async () => {
    const refused = await failure(hand({ title: "无清单时的任务" }));
    expect(refused.code).toBe(status.FAILED_PRECONDITION);
    expect(refused.reason).toBe("OUTSIDE_DUTY_LIST");
    expect(refused.message).toContain("no duty list applies to community 440402001002");
    const task = await duty<gridCasesV1.GetCommunityTaskResponse>(
      "getCommunityTask",
      { taskId: refused.metadata.taskId ?? "" },
      centre,
    );
    expect(task.task).toMatchObject({
      status: v1.CommunityTaskStatus.COMMUNITY_TASK_STATUS_REFUSED,
      issuerKind: "department",
      issuerId: "civil-affairs",
      title: "无清单时的任务",
    });
  });

  it("applies the most specific list, accepts what an item covers, refuses the rest unless funds travel with it", async () => {
    await publish("440402", 0, [statisticsItem], centre);
    const streetList = await publish(
      "440402001",
      0,
      [
        {
          ...statisticsItem,
          code: "sanitation",
          taskKinds: ["sanitation-rounds"],
          caseCategoryCodes: ["garbage-overflow"],
        },
      ],
      gongbeiStaff,
    );
    expect(streetList.dutyList).toMatchObject({ areaId: "440402001", version: 1, publishedBy: "ss-gb" });
    const applicable = await duty<gridCasesV1.GetApplicableDutyListResponse>(
      "getApplicableDutyList",
      { communityId: nancun },
      civilAffairs,
    );
    expect(applicable.dutyList).toMatchObject({ areaId: "440402001", version: 1 });

    // The street's list wins over the district's, so the district's statistics item does not apply.
    const outside = await failure(hand({}));
    expect(outside.reason).toBe("OUTSIDE_DUTY_LIST");
    expect(outside.message).toContain(
      "no item of the duty list of 440402001 (version 1) covers task kind population-statistics",
    );

    const within = await hand({ taskKind: "sanitation-rounds" }, gongbeiStaff);
    expect(within.task).toMatchObject({
      status: v1.CommunityTaskStatus.COMMUNITY_TASK_STATUS_ACCEPTED_WITHIN_LIST,
      dutyList: { areaId: "440402001", version: 1 },
      dutyItemCode: "sanitation",
      issuerKind: "street",
      issuerId: "440402001",
    });
    const byCategory = await hand({
      taskKind: "complaint-verification",
      caseCategoryCode: "garbage-overflow",
    });
    expect(byCategory.task?.dutyItemCode).toBe("sanitation");

    const funded = await hand({ fundsTransfer: funds });
    expect(funded.task).toMatchObject({
      status: v1.CommunityTaskStatus.COMMUNITY_TASK_STATUS_ACCEPTED_WITH_FUNDS,
      dutyItemCode: "",
      fundsTransfer: funds,
    });
  });

  it("refuses bad input with field violations and callers without the role, storing nothing", async () => {
    const [tasksBefore, listsBefore] = [await stored("community_tasks"), await stored("duty_lists")];
    const badTask = await failure(
      hand({
        communityId: nancun,
        title: " ",
        taskKind: "Stats",
        caseCategoryCode: "no-such-category",
        fundsTransfer: { ...funds, amountFen: -5, payingDepartmentId: "finance" },
      }),
    );
    expect(badTask.code).toBe(status.INVALID_ARGUMENT);
    expect(badTask.violations.map((violation) => violation.field)).toEqual([
      "title",
      "taskKind",
      "caseCategoryCode",
      "fundsTransfer.amountFen",
      "fundsTransfer.payingDepartmentId",
    ]);
    const badList = await failure(
      publish(
        "440402001",
        1,
        [{ ...statisticsItem, caseCategoryCodes: ["no-such-category"], legalBasis: "" }],
        gongbeiStaff,
      ),
    );
    expect(badList.violations.map((violation) => violation.field)).toEqual([
      "items[0].legalBasis",
      "items[0].caseCategoryCodes[0]",
    ]);
    const community: Caller = { subject: "cs-1", roles: ["community_staff"], areas: [nancun] };
    expect((await failure(hand({}, community))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(publish(nancun, 0, [statisticsItem], community))).code).toBe(
      status.PERMISSION_DENIED,
    );
    expect((await failure(publish("440403", 0, [statisticsItem], centre))).code).toBe(
      status.PERMISSION_DENIED,
    );
    expect([await stored("community_tasks"), await stored("duty_lists")]).toEqual([tasksBefore, listsBefore]);
  });

  it("lets one of six concurrent publishes from the same version win; the others are ABORTED", async () => {
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5, 6].map((n) =>
        publish(lianhua, 0, [{ ...statisticsItem, name: `人口信息采集 (edit ${n})` }], gongbeiStaff),
      ),
    );
    const won = results.filter((result) => result.status === "fulfilled");
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.map(({ reason }) => (reason as ServiceError).code)).toEqual(Array(5).fill(status.ABORTED));
    const newest = await duty<gridCasesV1.GetDutyListResponse>(
      "getDutyList",
      { areaId: lianhua, version: 0 },
      centre,
    );
    expect(newest.dutyList?.version).toBe(1);
    expect(newest.dutyList?.items[0]?.name).toBe(
      won[0]?.status === "fulfilled" && won[0].value.dutyList?.items[0]?.name,
    );
    const stale = await failure(publish(lianhua, 0, [statisticsItem], gongbeiStaff));
    expect(stale).toMatchObject({ code: status.ABORTED, metadata: { currentVersion: "1" } });
  });

  it("counts concurrent tasks exactly in the street's report, by community, for the month and the year", async () => {
    const before = await report("440402001", "2027-04");
    const beforeNancun = before.byArea.find((row) => row.areaId === nancun)?.counts;
    // Lianhua's own list (published above) covers population statistics; Nancun's street list does not.
    const handed = await Promise.allSettled([
      ...Array.from({ length: 8 }, () => hand({ communityId: lianhua })),
      ...Array.from({ length: 6 }, (_, n) => hand({ fundsTransfer: { ...funds, amountFen: 1_000 + n } })),
      ...Array.from({ length: 6 }, () => hand({})),
    ]);
    expect(handed.filter((result) => result.status === "fulfilled")).toHaveLength(14);
    const expectedTotal = {
      acceptedWithinList: (before.total?.acceptedWithinList ?? 0) + 8,
      acceptedWithFunds: (before.total?.acceptedWithFunds ?? 0) + 6,
      transferredFen: (before.total?.transferredFen ?? 0) + 6_015,
      refused: (before.total?.refused ?? 0) + 6,
    };
    let month = before;
    for (let waited = 0; waited < 20_000; waited += 200) {
      month = await report("440402001", "2027-04");
      if (
        month.total?.refused === expectedTotal.refused &&
        month.total.acceptedWithinList === expectedTotal.acceptedWithinList
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(month.total).toEqual(expectedTotal);
    expect(month.byArea.map((row) => row.areaId)).toEqual([nancun, lianhua]);
    expect(month.byArea.find((row) => row.areaId === lianhua)?.counts).toEqual({
      acceptedWithinList: 8,
      acceptedWithFunds: 0,
      transferredFen: 0,
      refused: 0,
    });
    expect(month.byArea.find((row) => row.areaId === nancun)?.counts).toEqual({
      acceptedWithinList: beforeNancun?.acceptedWithinList ?? 0,
      acceptedWithFunds: (beforeNancun?.acceptedWithFunds ?? 0) + 6,
      transferredFen: (beforeNancun?.transferredFen ?? 0) + 6_015,
      refused: (beforeNancun?.refused ?? 0) + 6,
    });
    expect((await report("440402", "2027")).total).toEqual(expectedTotal);
    const listed = await duty<gridCasesV1.ListCommunityTasksResponse>(
      "listCommunityTasks",
      { communityId: lianhua, pageSize: 5, pageToken: "" },
      gongbeiStaff,
    );
    expect(listed.tasks).toHaveLength(5);
    expect(listed.nextPageToken).not.toBe("");
  });
});
