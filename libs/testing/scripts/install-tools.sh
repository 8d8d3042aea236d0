#!/usr/bin/env bash
# Installs the local infrastructure binaries the test harness and the start command need,
# at pinned versions, into a cache directory. A no-op when they are already there.
#
#   CIVIC_TOOLS_DIR   where binaries go (default: ~/.cache/civic-platform/tools)
#
# nats-server comes from `go install`; Debian's nats-server package is the fallback.
# kustomize (for the Kubernetes manifest checks) comes from `go install`.
# FerretDB v1 cannot be `go install`ed (the module proxy refuses the version list it asks
# for) and panics at start without build/version/version.txt, so it is built from the
# downloaded module source with that file written in.
set -euo pipefail

NATS_SERVER_VERSION="v2.11.12"
FERRETDB_VERSION="v1.24.0"
# For the Kubernetes manifest checks (test/src/deployment). v5.8.2 and later need Go 1.27.
KUSTOMIZE_VERSION="v5.8.1"
TOOLS_DIR="${CIVIC_TOOLS_DIR:-$HOME/.cache/civic-platform/tools}"
mkdir -p "$TOOLS_DIR"

log() { printf 'install-tools: %s\n' "$*" >&2; }

have_version() { # binary, expected version marker file
  [ -x "$TOOLS_DIR/$1" ] && [ "$(cat "$TOOLS_DIR/$1.version" 2>/dev/null)" = "$2" ]
}

install_nats_server() {
  if have_version nats-server "$NATS_SERVER_VERSION"; then return; fi
  if command -v go >/dev/null 2>&1; then
    log "building nats-server $NATS_SERVER_VERSION"
    if GOBIN="$TOOLS_DIR" go install "github.com/nats-io/nats-server/v2@$NATS_SERVER_VERSION"; then
      echo "$NATS_SERVER_VERSION" >"$TOOLS_DIR/nats-server.version"
      return
    fi
    log "go install of nats-server failed; trying Debian's package"
  fi
  if ! command -v /usr/sbin/nats-server >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server
  fi
  if [ -x /usr/sbin/nats-server ]; then
    ln -sf /usr/sbin/nats-server "$TOOLS_DIR/nats-server"
    echo "$NATS_SERVER_VERSION" >"$TOOLS_DIR/nats-server.version"
    return
  fi
  log "could not install nats-server: need Go (go install) or Debian's nats-server package"
  exit 1
}

install_ferretdb() {
  if have_version ferretdb "$FERRETDB_VERSION"; then return; fi
  command -v go >/dev/null 2>&1 || { log "Go is needed to build FerretDB $FERRETDB_VERSION"; exit 1; }
  log "building FerretDB $FERRETDB_VERSION (about a minute)"
  local src_dir work_dir
  src_dir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);if(m.Error){console.error(m.Error);process.exit(1)}console.log(m.Dir)})')
  work_dir=$(mktemp -d)
  trap 'rm -rf "$work_dir"' RETURN
  cp -r "$src_dir/." "$work_dir/"
  chmod -R u+w "$work_dir"
  echo "$FERRETDB_VERSION" >"$work_dir/build/version/version.txt"
  (cd "$work_dir" && go build -o "$TOOLS_DIR/ferretdb" ./cmd/ferretdb)
  echo "$FERRETDB_VERSION" >"$TOOLS_DIR/ferretdb.version"
}

install_kustomize() {
  if have_version kustomize "$KUSTOMIZE_VERSION"; then return; fi
  command -v go >/dev/null 2>&1 || { log "Go is needed to build kustomize $KUSTOMIZE_VERSION"; exit 1; }
  log "building kustomize $KUSTOMIZE_VERSION (about two minutes)"
  GOBIN="$TOOLS_DIR" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
  echo "$KUSTOMIZE_VERSION" >"$TOOLS_DIR/kustomize.version"
}

install_nats_server
install_ferretdb
install_kustomize
log "ready in $TOOLS_DIR"
