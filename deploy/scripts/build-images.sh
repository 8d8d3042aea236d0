#!/usr/bin/env bash
# Builds every image of deploy/Dockerfile (one target per service), tagged for a registry,
# and copies each image's SBOM (/app/sbom.cdx.json, CycloneDX, made by bundle-service.sh)
# beside it for the release's records. CI runs it where a Docker engine answers; without one
# the bundles are built and started by test/src/deployment/bundles.test.ts instead.
#
#   REGISTRY=registry.city.example/civic-platform TAG=1.4.0 bash deploy/scripts/build-images.sh [--push]
#
#   REGISTRY  where the images go (default civic-platform, local names only)
#   TAG       the release (default: the short commit)
#   SBOM_DIR  where the SBOMs go (default deploy/sbom/<TAG>, ignored by git)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
registry=${REGISTRY:-civic-platform}
tag=${TAG:-$(git rev-parse --short HEAD)}
sbom_dir=${SBOM_DIR:-deploy/sbom/$tag}
push=${1:-}
mkdir -p "$sbom_dir"

for service_dir in services/*/; do
  service=$(basename "$service_dir")
  image="$registry/$service:$tag"
  echo "build-images: $image" >&2
  docker build --file deploy/Dockerfile --target "$service" --tag "$image" \
    --build-arg "CIVIC_VERSION=$tag" --build-arg "CIVIC_COMMIT=$(git rev-parse HEAD)" .
  container=$(docker create "$image")
  docker cp "$container:/app/sbom.cdx.json" "$sbom_dir/$service.cdx.json"
  docker rm "$container" >/dev/null
  if [ "$push" = "--push" ]; then docker push "$image"; fi
done
echo "build-images: SBOMs in $sbom_dir; point the overlays at these images with" >&2
echo "  node deploy/scripts/set-images.mjs --registry $registry --tag $tag" >&2
