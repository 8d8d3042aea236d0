#!/usr/bin/env bash
# `buf breaking` of proto/ against the contracts on main (origin/main when this clone has
# it, else the previous commit). Skipped while the base has no contracts yet.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BUF_BREAKING_BASE:-}
if [ -z "$base" ]; then
  if git rev-parse -q --verify origin/main >/dev/null && [ "$(git rev-parse origin/main)" != "$(git rev-parse HEAD)" ]; then
    base=origin/main
  else
    base=HEAD~1
  fi
fi
if ! git cat-file -e "$base:proto/civic" 2>/dev/null; then
  echo "no contracts at $base: nothing to compare"
  exit 0
fi
against=$(mktemp -d)
trap 'rm -rf "$against"' EXIT
git archive "$base" proto buf.yaml | tar -x -C "$against"
ln -s "$PWD/node_modules" "$against/node_modules"
pnpm exec buf breaking proto --against "$against/proto"
echo "no breaking changes against $base"
