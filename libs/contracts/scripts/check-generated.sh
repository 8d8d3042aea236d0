#!/usr/bin/env bash
# Fails when the generated contract code, descriptor set or OpenAPI document differs from what the protos
# produce now: regenerate with `pnpm generate` and commit the result.
set -euo pipefail
cd "$(dirname "$0")/../../.."
pnpm --silent generate
paths=(libs/contracts/src/gen libs/contracts/descriptors libs/openapi/openapi.json)
if ! git diff --quiet -- "${paths[@]}" ||
  [ -n "$(git ls-files --others --exclude-standard -- "${paths[@]}")" ]; then
  echo "Generated contracts are stale: run 'pnpm generate' and commit the result." >&2
  git status --short -- "${paths[@]}" >&2
  exit 1
fi
echo "generated contracts are up to date"
