#!/usr/bin/env node
// Points every image of ours in the overlays at one registry and release: the overlays'
// `images:` entries `civic-platform/<name>` get `newName: <registry>/<name>` and
// `newTag: <tag>` (deploy/README.md, "Images"). Rewrites only those two lines of each
// entry, so comments and everything else in the file stay as they are.
//
//   node deploy/scripts/set-images.mjs --registry registry.city.example/civic-platform --tag 1.4.0
//   node deploy/scripts/set-images.mjs --registry … --tag … --overlay prod   (one overlay only)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const overlaysDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../k8s/overlays");

const argument = (name) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const usage = () => {
  console.error(
    "usage: set-images.mjs --registry <host[/path]> --tag <tag> [--overlay <name>]\n" +
      "  e.g. --registry registry.city.example/civic-platform --tag 1.4.0",
  );
  process.exit(2);
};

const registry = argument("registry")?.replace(/\/+$/, "");
const tag = argument("tag");
if (!registry || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/.test(registry)) usage();
if (!tag || !/^[\w][\w.-]{0,127}$/.test(tag)) usage();
const overlays = argument("overlay") ? [argument("overlay")] : readdirSync(overlaysDir);

for (const overlay of overlays) {
  const file = join(overlaysDir, overlay, "kustomization.yaml");
  const lines = readFileSync(file, "utf8").split("\n");
  let image;
  let changed = 0;
  for (const [index, line] of lines.entries()) {
    const entry = /^(\s*)- name: civic-platform\/([a-z0-9-]+)\s*$/.exec(line);
    if (entry) {
      image = entry[2];
      continue;
    }
    if (image && /^\s+newName:/.test(line)) {
      lines[index] = line.replace(/newName:.*$/, `newName: ${registry}/${image}`);
      changed++;
    } else if (image && /^\s+newTag:/.test(line)) {
      lines[index] = line.replace(/newTag:.*$/, `newTag: "${tag}"`);
    } else if (!/^\s{4}/.test(line)) {
      image = undefined;
    }
  }
  if (changed === 0) {
    console.error(`set-images: ${file} has no images: entries for civic-platform/<name>`);
    process.exit(1);
  }
  writeFileSync(file, lines.join("\n"));
  console.error(`set-images: ${overlay}: ${changed} images → ${registry}/<name>:${tag}`);
}
