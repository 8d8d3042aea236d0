import { socialRegistryV1 } from "@civic/contracts";
import type { Caller } from "@civic/domain-kit";
import { clientInterceptors, inProcessCallerTokens } from "@civic/service-kit";
import { inProcessServiceSettings, uniqueDatabaseName } from "@civic/testing";
import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { MongoClient } from "mongodb";
import pino from "pino";
import { type RunningSocialRegistry, startSocialRegistry } from "../service.js";

type Invoke<Request, Response> = (
  request: Request,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: Response) => void,
) => unknown;

/** The service on a free port with its own database and event namespace, and its clients (tests only). */
export async function startTestService(mongoUri: string, natsUrl: string, prefix: string) {
  const databaseName = uniqueDatabaseName(prefix);
  const namespace = `sr_${databaseName.slice(-8)}`;
  const service: RunningSocialRegistry = await startSocialRegistry(
    inProcessServiceSettings(mongoUri, natsUrl, databaseName, namespace),
    pino({ level: "silent" }),
  );
  const address = `127.0.0.1:${service.grpcPort}`;
  const options = { interceptors: clientInterceptors() };
  const organisations = new socialRegistryV1.OrganisationServiceClient(
    address,
    credentials.createInsecure(),
    options,
  );
  const projects = new socialRegistryV1.CharityProjectServiceClient(
    address,
    credentials.createInsecure(),
    options,
  );
  const mongo = await MongoClient.connect(mongoUri);
  const callerTokens = (await inProcessCallerTokens()).issuer;
  return {
    service,
    namespace,
    db: mongo.db(databaseName),
    organisations,
    projects,
    /** Calls `invoke` on `client` as `caller` (in a caller token, as the gateway states it). */
    async call<Request, Response>(
      client: object,
      invoke: Invoke<Request, Response>,
      request: Request,
      caller: Caller,
    ) {
      const metadata = await callerTokens.toMetadata(caller, new Metadata());
      return new Promise<Response>((resolve, reject) =>
        invoke.call(client, request, metadata, (error, response) =>
          error ? reject(error) : resolve(response),
        ),
      );
    },
    async stop() {
      organisations.close();
      projects.close();
      for (const step of service.stops) await step.stop();
      await mongo.db(databaseName).dropDatabase();
      await mongo.close();
    },
  };
}

/** The gRPC error a call failed with; throws when it succeeded. */
export async function failureOf(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => undefined,
    (thrown: ServiceError) => thrown,
  );
  if (!error) throw new Error("expected the call to fail");
  return error;
}
