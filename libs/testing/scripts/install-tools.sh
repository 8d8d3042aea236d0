#!/usr/bin/env bash
# Installs the local infrastructure binaries the test harness and the start command need,
# at pinned versions, into a cache directory. A no-op when they are already there.
#
#   install-tools.sh [nats-server] [ferretdb] [kustomize] [chromium]   (no names: all four)
#   CIVIC_TOOLS_DIR   where binaries go (default: ~/.cache/civic-platform/tools)
#   CHROMIUM_PATH     a Chromium or Chrome binary to use instead of Debian's chromium
#
# Builds take minutes the first time (Go downloads and compiles the modules), so each one
# says what it builds and how long it has been at it. Go's module and build caches make
# a rebuild take seconds; FerretDB's source copy stays in $CIVIC_TOOLS_DIR/src, at the same
# path each time, because Go's build cache keys a package on its directory. Two installs
# at once (two test runs) take turns: the second finds the binaries there.
#
# nats-server comes from `go install`; Debian's nats-server package is the fallback.
# kustomize (for the Kubernetes manifest checks) comes from `go install`.
# Chromium (for the dashboard page's browser test) is Debian's `chromium` package, driven by
# playwright-core: no browser download of Playwright's own, which these machines cannot fetch.
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

# Runs a command, saying every 15 s how long it has run, then how long it took.
with_progress() { # what, command…
  local what=$1 started=$SECONDS pid status=0
  shift
  "$@" &
  pid=$!
  while ! wait_up_to 15 "$pid"; do log "still $what ($((SECONDS - started)) s so far)"; done
  wait "$pid" || status=$?
  if [ "$status" -eq 0 ]; then log "done $what ($((SECONDS - started)) s)"; else log "failed $what"; fi
  return "$status"
}

wait_up_to() { # seconds, pid: true once the process has ended
  local until=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$until" ]; do
    kill -0 "$2" 2>/dev/null || return 0
    sleep 0.2
  done
  return 1
}

have_version() { # binary, expected version marker file
  [ -x "$TOOLS_DIR/$1" ] && [ "$(cat "$TOOLS_DIR/$1.version" 2>/dev/null)" = "$2" ]
}

install_nats_server() {
  if have_version nats-server "$NATS_SERVER_VERSION"; then return; fi
  if command -v go >/dev/null 2>&1; then
    log "building nats-server $NATS_SERVER_VERSION with Go (about 30 s the first time)"
    if with_progress "building nats-server" env GOBIN="$TOOLS_DIR" go install "github.com/nats-io/nats-server/v2@$NATS_SERVER_VERSION"; then
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
  log "building FerretDB $FERRETDB_VERSION with Go (2 to 8 minutes the first time, on a busy machine; seconds after that)"
  local work_dir="$TOOLS_DIR/src/ferretdb-$FERRETDB_VERSION"
  if [ ! -f "$work_dir/build/version/version.txt" ]; then
    local src_dir
    src_dir=$(with_progress "downloading FerretDB's source" go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);if(m.Error){console.error(m.Error);process.exit(1)}console.log(m.Dir)})')
    rm -rf "$work_dir.partial"
    mkdir -p "$work_dir.partial"
    cp -r "$src_dir/." "$work_dir.partial/"
    chmod -R u+w "$work_dir.partial"
    echo "$FERRETDB_VERSION" >"$work_dir.partial/build/version/version.txt"
    rm -rf "$work_dir"
    mv "$work_dir.partial" "$work_dir"
  fi
  # Its dependencies download on the first build (into Go's module cache, kept).
  (cd "$work_dir" && with_progress "building FerretDB" go build -o "$TOOLS_DIR/ferretdb" ./cmd/ferretdb)
  echo "$FERRETDB_VERSION" >"$TOOLS_DIR/ferretdb.version"
}

install_kustomize() {
  if have_version kustomize "$KUSTOMIZE_VERSION"; then return; fi
  command -v go >/dev/null 2>&1 || { log "Go is needed to build kustomize $KUSTOMIZE_VERSION"; exit 1; }
  log "building kustomize $KUSTOMIZE_VERSION with Go (about two minutes the first time)"
  with_progress "building kustomize" env GOBIN="$TOOLS_DIR" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
  echo "$KUSTOMIZE_VERSION" >"$TOOLS_DIR/kustomize.version"
}

install_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] && return
    log "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file"
    exit 1
  fi
  if [ -x /usr/bin/chromium ]; then return; fi
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's chromium package (for the dashboard's browser test; a minute or two)"
    with_progress "installing chromium" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'
    return
  fi
  log "Chromium is missing: run 'sudo apt-get install chromium' (Debian, Ubuntu: the chromium package),"
  log "or set CHROMIUM_PATH to a Chromium or Chrome binary"
  exit 1
}

tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(nats-server ferretdb kustomize chromium)
exec 9>"$TOOLS_DIR/.install.lock"
if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
  log "another install into $TOOLS_DIR is under way; waiting for it"
  flock 9
fi
for tool in "${tools[@]}"; do
  case "$tool" in
    nats-server) install_nats_server ;;
    ferretdb) install_ferretdb ;;
    kustomize) install_kustomize ;;
    chromium) install_chromium ;;
    *) log "unknown tool $tool (nats-server, ferretdb, kustomize, chromium)"; exit 2 ;;
  esac
done
