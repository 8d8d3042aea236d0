#!/usr/bin/env bash
# The one test command: unit, integration and end-to-end tests of the whole workspace.
# Integration tests get NATS and a MongoDB-wire database from libs/testing (environment,
# then testcontainers, then local processes it installs and starts itself).
set -euo pipefail
cd "$(dirname "$0")/.."
bash libs/testing/scripts/install-tools.sh
# Tests that run the compiled platform (pnpm start, the production bundles) build it too;
# building once first keeps them from writing the same dist/ files at the same time.
pnpm -s build
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# One plain summary line that any CI can read.
node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$report" || true
exit "$status"
