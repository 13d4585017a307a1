#!/usr/bin/env bash
# Two builds' restarts, alternating, so that a drift of the machine's speed falls on both: each checkout's own
# `bin/orchestra serve` with its AOT cache (trained first) on a data directory of its own that exists already;
# time from process start to the first 200 from /health and from /ready; median, min and max of N rounds.
# Usage: bench/foundation/startup-ab.sh <checkout A> <checkout B> [rounds]   (each built with `make build`)
set -euo pipefail
declare -A ROOT=([A]="$(cd "$1" && pwd)" [B]="$(cd "$2" && pwd)")
ROUNDS=${3:-15}
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-$(bin/find-jdk)}
PORT=${PORT_BASE:-18500}
WORK=$(mktemp -d)
PID=""
cleanup() { [[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# shellcheck source=../lib.sh
source bench/lib.sh
restart() { # checkout data-dir -> "health_ms ready_ms"
  local start health
  start=$(now_ms)
  (cd "$2" && ORCHESTRA_AOT=on ORCHESTRA_ADMIN_KEY=$KEY ORCHESTRA_PORT=$PORT \
    ORCHESTRA_HOST=127.0.0.1 ORCHESTRA_DATA_DIR="$2/data" exec "$1/bin/orchestra" serve >>"$2/out.log" 2>&1) &
  PID=$!
  wait_for "http://127.0.0.1:$PORT/health" "$PID"; health=$(($(now_ms) - start))
  wait_for "http://127.0.0.1:$PORT/ready" "$PID"
  echo "$health $(($(now_ms) - start))"
  stop "$PID"; PID=""
}

for build in A B; do
  "${ROOT[$build]}/bin/orchestra" aot-train >/dev/null
  mkdir -p "$WORK/$build"
  restart "${ROOT[$build]}" "$WORK/$build" >/dev/null # the first start makes the data directory
done
for _ in $(seq "$ROUNDS"); do
  for build in A B; do echo "$build $(restart "${ROOT[$build]}" "$WORK/$build")"; done
done >"$WORK/times"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%FT%RZ); load $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS rounds"
echo "| build | /health median (min-max) ms | /ready median (min-max) ms |"
echo "|---|---|---|"
for build in A B; do
  awk -v b="$build" -v root="${ROOT[$build]}" '$1 == b {h[++n] = $2; r[n] = $3}
    END {asort(h); asort(r); m = int((n + 1) / 2)
      printf "| %s (%s) | %d (%d-%d) | %d (%d-%d) |\n", b, root, h[m], h[1], h[n], r[m], r[1], r[n]}' "$WORK/times"
done
