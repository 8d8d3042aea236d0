#!/usr/bin/env bash
# The one test command: unit, integration and end-to-end tests of the whole workspace.
# Integration tests get NATS and a MongoDB-wire database from libs/testing (environment,
# then testcontainers, then local processes it installs and starts itself).
set -euo pipefail
cd "$(dirname "$0")/.."
bash libs/testing/scripts/install-tools.sh
pnpm exec vitest run "$@"
