#!/usr/bin/env bash
# Builds the production bundle of one service: its compiled code, the compiled workspace
# libraries it depends on and its production dependencies, nothing else. The Dockerfile
# runs this for every image, and CI runs it too (test/src/deployment/bundles.test.ts),
# then starts the bundle the way the image does, so what ships is tested without Docker.
#
#   bash deploy/scripts/bundle-service.sh <service> <output directory>
#
# The bundle starts with `node dist/main.js` from the output directory and reads its
# configuration from the environment only. `healthcheck.mjs` beside it answers container
# health checks (see that file). `sbom.cdx.json` beside it is the bundle's software bill of
# materials (CycloneDX JSON, by @cyclonedx/cyclonedx-npm): every package the image ships.
set -euo pipefail

service=${1:?usage: bundle-service.sh <service> <output directory>}
output=${2:?usage: bundle-service.sh <service> <output directory>}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

if [ ! -f "services/$service/package.json" ]; then
  echo "bundle-service: no service named '$service' (no services/$service/package.json)" >&2
  exit 1
fi

# The service and, through its project references, every library it uses.
pnpm exec tsc -b "services/$service"
rm -rf "$output"
# pnpm 10 deploys workspace packages only with inject-workspace-packages=true, which
# would change how every developer's workspace links its libraries; --legacy keeps the
# workspace as it is and copies each package's published files ("files": ["dist"]).
pnpm --filter "./services/$service" deploy --prod --legacy "$output" >/dev/null
cp deploy/healthcheck.mjs "$output/healthcheck.mjs"
# npm ls (which the generator reads) reports the development dependencies of packages as
# missing in pnpm's layout; they are not shipped, so its errors are ignored. What the
# generator says is shown only when it fails. It asks the program in npm_execpath for the
# package list, which is pnpm when this runs under a pnpm script (pnpm test): npm it must be.
sbom_log=$(mktemp)
if ! env -u npm_execpath pnpm exec cyclonedx-npm --omit dev --ignore-npm-errors --flatten-components --output-reproducible \
  --output-format JSON --output-file "$output/sbom.cdx.json" "$output/package.json" 2>"$sbom_log"; then
  echo "bundle-service: the SBOM of $service could not be generated:" >&2
  tail -n 40 "$sbom_log" >&2
  rm -f "$sbom_log"
  exit 1
fi
rm -f "$sbom_log"

if [ ! -f "$output/dist/main.js" ]; then
  echo "bundle-service: $service has no dist/main.js after the build (is src/main.ts its entry point?)" >&2
  exit 1
fi
