import { socialRegistryV1 } from "@civic/contracts";
import type { Caller } from "@civic/domain-kit";
import { domainStream } from "@civic/event-log";
import { clientInterceptors, inProcessCallerTokens } from "@civic/service-kit";
import { uniqueDatabaseName } from "@civic/testing";
import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withCreditCodeCheck } from "./domain/credit-code.js";
import { type RunningSocialRegistry, startSocialRegistry } from "./service.js";

const v1 = socialRegistryV1;
const officer: Caller = { subject: "civil-affairs-xz", roles: ["civil_affairs"], areas: ["440402"] };
const otherDistrict: Caller = { subject: "civil-affairs-dm", roles: ["civil_affairs"], areas: ["440403"] };
const resident: Caller = { subject: "resident-1", roles: ["resident"], areas: [] };

/** Codes of social groups in Xiangzhou: 51 440402 MJL0000n + GB 11714 check + check. */
function socialGroupCode(serial: number): string {
  const body = `MJL${String(serial).padStart(5, "0")}`;
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce(
    (total, character, index) =>
      total +
      (/\d/.test(character) ? Number(character) : character.charCodeAt(0) - 55) * (weights[index] ?? 0),
    0,
  );
  const check = 11 - (sum % 11);
  return withCreditCodeCheck(`51440402${body}${check === 10 ? "X" : check === 11 ? "0" : check}`);
}

describe("organisations over gRPC, against real NATS and the database", () => {
  let service: RunningSocialRegistry;
  let client: socialRegistryV1.OrganisationServiceClient;
  let nats: NatsConnection;
  let mongo: MongoClient;
  const databaseName = uniqueDatabaseName("social_registry_orgs");
  const namespace = `sr_${databaseName.slice(-8)}`;

  const call = <Request, Response>(
    invoke: (
      request: Request,
      metadata: Metadata,
      callback: (error: ServiceError | null, response: Response) => void,
    ) => unknown,
    request: Request,
    caller: Caller = officer,
  ) =>
    inProcessCallerTokens()
      .then(({ issuer }) => issuer.toMetadata(caller, new Metadata()))
      .then(
        (metadata) =>
          new Promise<Response>((resolve, reject) =>
            invoke.call(client, request, metadata, (error, response) =>
              error ? reject(error) : resolve(response),
            ),
          ),
      );
  const register = (creditCode: string, caller: Caller = officer, name = "南村社区长者关爱协会") =>
    call<socialRegistryV1.RegisterOrganisationRequest, socialRegistryV1.RegisterOrganisationResponse>(
      client.registerOrganisation,
      {
        creditCode,
        name,
        legalForm: v1.LegalForm.LEGAL_FORM_SOCIAL_GROUP,
        category: v1.OrganisationCategory.ORGANISATION_CATEGORY_COMMUNITY_SERVICE,
        areaId: "440402001002",
        filedOn: "2026-03-01",
      },
      caller,
    );
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (thrown: ServiceError) => thrown,
    );
    if (!error) throw new Error("expected the call to fail");
    return error;
  };

  beforeAll(async () => {
    service = await startSocialRegistry(
      {
        MONGODB_URI: inject("mongoUri"),
        MONGODB_DATABASE: databaseName,
        NATS_URL: inject("natsUrl"),
        EVENT_NAMESPACE: namespace,
        GRPC_PORT: 0,
        SHUTDOWN_GRACE_MS: 2_000,
      },
      pino({ level: "silent" }),
    );
    client = new v1.OrganisationServiceClient(`127.0.0.1:${service.grpcPort}`, credentials.createInsecure(), {
      interceptors: clientInterceptors(),
    });
    nats = await connect({ servers: inject("natsUrl") });
    mongo = await MongoClient.connect(inject("mongoUri"));
  });
  afterAll(async () => {
    client.close();
    for (const step of service.stops) await step.stop();
    await nats.drain();
    await mongo.db(databaseName).dropDatabase();
    await mongo.close();
  });

  it("30 registrations of one code at once: exactly one is filed, 29 get ALREADY_EXISTS", async () => {
    const code = socialGroupCode(101);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) => register(code, officer, `协会 ${index}`)),
    );
    const filed = results.filter((result) => result.status === "fulfilled");
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(filed).toHaveLength(1);
    expect(refused).toHaveLength(29);
    for (const { reason } of refused) expect((reason as ServiceError).code).toBe(status.ALREADY_EXISTS);
    const events = await mongo
      .db(databaseName)
      .collection("events")
      .find({ stream: `organisation-${code}` })
      .toArray();
    expect(events).toHaveLength(1);
    const stored = await call<
      socialRegistryV1.GetOrganisationRequest,
      socialRegistryV1.GetOrganisationResponse
    >(client.getOrganisation, { creditCode: code });
    expect(stored.organisation?.version).toBe(1);
  });

  it("refuses a wrong check character and a duplicate code, changing nothing", async () => {
    const code = socialGroupCode(102);
    const wrong = `${code.slice(0, 17)}${code.endsWith("0") ? "1" : "0"}`;
    const invalid = await failure(register(wrong));
    expect(invalid.code).toBe(status.INVALID_ARGUMENT);
    expect(invalid.details).toContain("creditCode has the wrong check character");
    expect(
      (
        await failure(
          call<socialRegistryV1.GetOrganisationRequest, socialRegistryV1.GetOrganisationResponse>(
            client.getOrganisation,
            { creditCode: wrong },
          ),
        )
      ).code,
    ).toBe(status.NOT_FOUND);

    await register(code);
    const duplicate = await failure(register(code, officer, "另一个名字"));
    expect(duplicate.code).toBe(status.ALREADY_EXISTS);
    expect(
      (
        await call<socialRegistryV1.GetOrganisationRequest, socialRegistryV1.GetOrganisationResponse>(
          client.getOrganisation,
          { creditCode: code },
        )
      ).organisation?.name,
    ).toBe("南村社区长者关爱协会");
  });

  it("lets only civil affairs of the area change the register", async () => {
    expect((await failure(register(socialGroupCode(103), otherDistrict))).code).toBe(
      status.PERMISSION_DENIED,
    );
    expect((await failure(register(socialGroupCode(103), resident))).code).toBe(status.PERMISSION_DENIED);
    const code = socialGroupCode(104);
    await register(code);
    const refused = await failure(
      call<
        socialRegistryV1.ChangeOrganisationStatusRequest,
        socialRegistryV1.ChangeOrganisationStatusResponse
      >(
        client.changeOrganisationStatus,
        {
          creditCode: code,
          action: v1.StatusAction.STATUS_ACTION_APPROVE_REGISTRATION,
          reason: "",
          effectiveOn: "",
        },
        otherDistrict,
      ),
    );
    expect(refused.code).toBe(status.PERMISSION_DENIED);
    expect(
      (
        await call<socialRegistryV1.GetOrganisationRequest, socialRegistryV1.GetOrganisationResponse>(
          client.getOrganisation,
          { creditCode: code },
          resident,
        )
      ).organisation?.status,
    ).toBe(v1.OrganisationStatus.ORGANISATION_STATUS_FILED);
  });

  it("refuses an illegal status transition with FAILED_PRECONDITION naming the state, and publishes each change", async () => {
    const code = socialGroupCode(105);
    const js = jetstream(nats);
    const changes: string[] = [];
    const consumer = await js.consumers.get(domainStream("social-registry", namespace).name, {
      filter_subjects: [`${namespace}.social-registry.organisation.>`],
    });
    await register(code);
    const action = (value: socialRegistryV1.StatusAction, reason = "") =>
      call<
        socialRegistryV1.ChangeOrganisationStatusRequest,
        socialRegistryV1.ChangeOrganisationStatusResponse
      >(client.changeOrganisationStatus, { creditCode: code, action: value, reason, effectiveOn: "" });
    const illegal = await failure(action(v1.StatusAction.STATUS_ACTION_SUSPEND, "停止活动"));
    expect(illegal.code).toBe(status.FAILED_PRECONDITION);
    expect(illegal.details).toBe("cannot suspend an organisation that is filed (only when active)");
    await action(v1.StatusAction.STATUS_ACTION_APPROVE_REGISTRATION);
    await action(v1.StatusAction.STATUS_ACTION_ACTIVATE);
    const suspended = await action(v1.StatusAction.STATUS_ACTION_SUSPEND, "负责人失联");
    expect(suspended.organisation?.status).toBe(v1.OrganisationStatus.ORGANISATION_STATUS_SUSPENDED);
    expect(suspended.organisation?.statusHistory.at(-1)?.reason).toBe("负责人失联");

    const messages = await consumer.fetch({ max_messages: 50, expires: 2_000 });
    for await (const message of messages) {
      const event = message.json<{ subject: string; type: string }>();
      if (event.subject === `organisation-${code}`) changes.push(event.type);
      if (changes.length === 4) break;
    }
    expect(changes).toEqual([
      `${namespace}.social-registry.organisation.registered`,
      `${namespace}.social-registry.organisation.status_changed`,
      `${namespace}.social-registry.organisation.status_changed`,
      `${namespace}.social-registry.organisation.status_changed`,
    ]);
  });
});
