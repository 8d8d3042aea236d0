#!/usr/bin/env node
// Writes every Secret the Kubernetes manifests reference, with fresh random values, as YAML
// on stdout (deploy/README.md, "Secrets"):
//
//   node deploy/scripts/generate-secrets.mjs --members 3 > civic-secrets.yaml
//   kubectl create -n civic -f civic-secrets.yaml     # create: never overwrites
//
// Which Secrets and keys: every `secretKeyRef` in k8s/services/*/*.yaml (in the flow form
// `secretKeyRef: { name: <secret>, key: <KEY> }` or the block form with name before key),
// plus the Secrets "mongodb" and "nats". CI checks that this covers every secretKeyRef in both overlays.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const servicesDir = join(root, "k8s/services");

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const members = Number(argument("members", "3"));
if (!Number.isInteger(members) || members < 1) {
  console.error("usage: generate-secrets.mjs [--members N]  (N: MongoDB replica-set members, 1 for dev)");
  process.exit(2);
}

// nats-server parses an environment variable it substitutes as a config value: hex that starts
// with digits ("1e…", "12k…") is read as a number or a size. A letter first keeps it a string.
const password = () => `p${randomBytes(24).toString("hex")}`;
const mongoHosts = Array.from({ length: members }, (_, index) => `mongodb-${index}.mongodb:27017`).join(",");

/** The references in one service directory: [{ secret, key }], and its MONGODB_DATABASE. */
function referencesOf(directory) {
  const files = readdirSync(directory).filter((name) => name.endsWith(".yaml"));
  const text = files.map((name) => readFileSync(join(directory, name), "utf8")).join("\n");
  const references = [
    ...text.matchAll(/secretKeyRef:\s*\{?\s*name:\s*([a-z0-9-]+)\s*,?\s*key:\s*([A-Za-z0-9_]+)/g),
  ].map(([, secret, key]) => ({ secret, key }));
  const database = /MONGODB_DATABASE=([a-z][a-z0-9_]*)/.exec(text)?.[1];
  return { references, database };
}

// The gateway signs caller tokens with the private key (Secret "gateway"); every service
// verifies them with the public key (Secret "caller-token-public-key").
const callerToken = generateKeyPairSync("ec", {
  namedCurve: "P-256",
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

const generators = {
  CALLER_TOKEN_PRIVATE_KEY: () => callerToken.privateKey,
  CALLER_TOKEN_PUBLIC_KEY: () => callerToken.publicKey,
  MONGODB_URI: ({ secret, database }) => {
    if (!database) throw new Error(`${secret}: MONGODB_URI needs MONGODB_DATABASE in its kustomization.yaml`);
    return `mongodb://${database}:${password()}@${mongoHosts}/${database}?replicaSet=rs0&authSource=${database}`;
  },
  PERSONAL_DATA_KEY: () => randomBytes(32).toString("base64"),
  // Keys of before a rotation: none at first.
  PERSONAL_DATA_PREVIOUS_KEYS: () => "",
  JWT_SECRET: () => randomBytes(32).toString("hex"),
};

const secrets = new Map([
  [
    "mongodb",
    {
      MONGO_INITDB_ROOT_USERNAME: "root",
      MONGO_INITDB_ROOT_PASSWORD: password(),
      keyfile: randomBytes(756).toString("base64"),
    },
  ],
  // The NATS user "platform" (k8s/nats/nats.conf): every service and the gateway.
  ["nats", { PLATFORM_PASSWORD: password() }],
]);
for (const entry of readdirSync(servicesDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
  const { references, database } = referencesOf(join(servicesDir, entry.name));
  for (const { secret, key } of references) {
    if (secrets.get(secret)?.[key] !== undefined) continue;
    const generate = generators[key];
    if (!generate) {
      throw new Error(
        `k8s/services/${entry.name}: no generator for ${secret}.${key}: add one to generate-secrets.mjs`,
      );
    }
    const data = secrets.get(secret) ?? {};
    data[key] ??= generate({ secret, database });
    secrets.set(secret, data);
  }
}

const documents = [...secrets].map(([name, data]) =>
  [
    "apiVersion: v1",
    "kind: Secret",
    "metadata:",
    `  name: ${name}`,
    "  labels:",
    "    app.kubernetes.io/part-of: civic-platform",
    "type: Opaque",
    "stringData:",
    ...Object.entries(data).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`),
  ].join("\n"),
);
process.stdout.write(`${documents.join("\n---\n")}\n`);
