import type { TestProject } from "vitest/node";
import { startInfrastructure } from "./infrastructure.js";

declare module "vitest" {
  export interface ProvidedContext {
    mongoUri: string;
    natsUrl: string;
  }
}

/** Starts NATS and the database once for the whole test run; test files `inject` them. */
export default async function setup(project: TestProject) {
  const infrastructure = await startInfrastructure({
    log: (line) => console.log(`[infrastructure] ${line}`),
  });
  console.log(`[infrastructure] ${infrastructure.provider}: ${infrastructure.describe}`);
  project.provide("mongoUri", infrastructure.mongoUri);
  project.provide("natsUrl", infrastructure.natsUrl);
  return () => infrastructure.stop();
}
