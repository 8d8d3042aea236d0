import { beforeAll, describe, expect, it } from "vitest";
import { loadConfigSchemas } from "./checks.js";
import { type ComposeFile, composeViolations, loadCompose } from "./compose.js";
import type { ConfigSchema } from "./environment.js";
import { dockerfileTargets, serviceNames } from "./repository.js";

describe("deploy/compose.yaml", () => {
  let schemas: Map<string, ConfigSchema>;
  let compose: ComposeFile;
  const check = (file: ComposeFile) =>
    composeViolations({
      compose: file,
      services: serviceNames(),
      schemas,
      dockerfileTargets: dockerfileTargets(),
    });

  beforeAll(async () => {
    schemas = await loadConfigSchemas();
    compose = loadCompose();
  });

  it("runs every service from its Dockerfile target, with the variables it requires, after what it needs", () => {
    expect(check(compose)).toEqual([]);
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(["mongodb", "nats", ...serviceNames()]),
    );
  });

  it("names a missing service, a required variable left out, and a start before the database is healthy", () => {
    const broken = structuredClone(compose);
    delete broken.services["party-building"];
    delete broken.services["grid-cases"]?.environment?.PERSONAL_DATA_KEY;
    const gridCases = broken.services["grid-cases"];
    if (gridCases?.depends_on) gridCases.depends_on.mongodb = { condition: "service_started" };
    delete broken.services.gateway?.depends_on?.deliberation;
    expect(check(broken).sort()).toEqual(
      [
        "deploy/compose.yaml: services.party-building is missing (copy the grid-cases entry; k8s/README.md)",
        "deploy/compose.yaml: services.grid-cases.environment: PERSONAL_DATA_KEY is required by services/grid-cases/src/config.ts but no manifest sets it",
        "deploy/compose.yaml: services.grid-cases.depends_on.mongodb must be { condition: service_healthy }",
        "deploy/compose.yaml: services.gateway.depends_on.deliberation must be { condition: service_healthy }",
        "deploy/compose.yaml: services.gateway.environment: PARTY_BUILDING_ADDRESS=party-building:50052: names no compose service party-building",
      ].sort(),
    );
  });
});
