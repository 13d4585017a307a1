#!/usr/bin/env bash
# Cold start and idle footprint, in one run: Orchestra as `make start` runs it (bin/orchestra serve) without and
# with the JDK AOT cache, and Portkey's gateway on Node (pinned in bench/gateway/package.json).
# For each: first start on an empty data dir and restart on the same one; time to the first 200 from /health and
# from /ready (Portkey has no readiness: its / answering counts for both); RSS after 5 s idle. Median of N runs.
# Then Orchestra's RSS idle, after 1,000 gateway calls and after 1,000 memory calls.
# Usage: make build && bench/foundation/startup.sh [runs]   (loopback only; needs Node 20 and curl)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
RUNS=${1:-5}
export JAVA_HOME=${JAVA_HOME:-$(bin/find-jdk)}
PORT=${PORT_BASE:-18400}
UP=$((PORT + 50))
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
(cd bench/gateway && { [[ -d node_modules/@portkey-ai/gateway ]] || npm install --no-audit --no-fund --silent; })
# shellcheck source=../lib.sh
source bench/lib.sh

start_orchestra() { # data-dir aot(on|off) -> pid
  (cd "$1" && ORCHESTRA_AOT=$2 ORCHESTRA_ADMIN_KEY=$KEY ORCHESTRA_PORT=$PORT ORCHESTRA_HOST=127.0.0.1 \
    ORCHESTRA_DATA_DIR="$1/data" ORCHESTRA_CONFIG="$1/orchestra.yaml" exec "$ROOT/bin/orchestra" serve >>"$1/out.log" 2>&1) &
  echo $!
}

start_portkey() { # -> pid
  (cd bench/gateway && NODE_ENV=production exec node --import ./bind-loopback.mjs \
    node_modules/@portkey-ai/gateway/build/start-server.js --port="$PORT" --headless >>"$WORK/portkey.log" 2>&1) &
  echo $!
}

measure() { # name kind(orchestra-on|orchestra-off|portkey) dir -> "health_ms ready_ms rss_kib"
  local start pid health ready rss
  start=$(now_ms)
  case $2 in
    portkey) pid=$(start_portkey); wait_for "http://127.0.0.1:$PORT/" "$pid"; health=$(($(now_ms) - start)); ready=$health ;;
    *) pid=$(start_orchestra "$3" "${2#orchestra-}")
      wait_for "http://127.0.0.1:$PORT/health" "$pid"; health=$(($(now_ms) - start))
      wait_for "http://127.0.0.1:$PORT/ready" "$pid"; ready=$(($(now_ms) - start)) ;;
  esac
  sleep 5
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  stop "$pid"
  echo "$health $ready $rss"
}

fresh_dir() {
  local dir; dir=$(mktemp -d -p "$WORK")
  bench_config "$dir/orchestra.yaml" "$UP"
  echo "$dir"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { cut -d' ' -f"$1" "$2" | median; }

# The AOT cache for this jar: trained once, as `make start` does.
bin/orchestra aot-train >/dev/null

for kind in orchestra-off orchestra-on portkey; do
  for _ in $(seq "$RUNS"); do
    dir=$(fresh_dir)
    measure first "$kind" "$dir" >>"$WORK/$kind.first"
    measure restart "$kind" "$dir" >>"$WORK/$kind.restart"
  done
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), node $(node --version); $(date -u +%F); median of $RUNS"
printf "| target | start | /health ms | /ready ms | RSS at 5 s idle MiB |\n|---|---|---|---|---|\n"
declare -A NAME=([orchestra-off]="Orchestra (plain JVM)" [orchestra-on]="Orchestra (AOT cache)" [portkey]="Portkey gateway (Node)")
for kind in orchestra-off orchestra-on portkey; do
  for phase in first restart; do
    f="$WORK/$kind.$phase"
    printf "| %s | %s | %s | %s | %s |\n" "${NAME[$kind]}" "$phase" "$(col 1 "$f")" "$(col 2 "$f")" "$(( $(col 3 "$f") / 1024 ))"
  done
done
for phase in first restart; do
  awk -v p="$phase" -v o="$(col 1 "$WORK/orchestra-on.$phase")" -v k="$(col 1 "$WORK/portkey.$phase")" \
    -v r="$(col 3 "$WORK/orchestra-on.$phase")" -v q="$(col 3 "$WORK/portkey.$phase")" \
    'BEGIN {printf "%s: /health Orchestra (AOT) / Portkey %.2fx, idle RSS %.2fx\n", p, o/k, r/q}'
done

# Footprint under work: RSS idle, after 1,000 gateway calls, after 1,000 memory calls (AOT start), and idle again
# once the embedding model has been unloaded (a keep-alive of 10 s here; 300 s by default).
KEEP_ALIVE=10
node bench/gateway/fake-upstream.mjs "$UP" >"$WORK/upstream.log" 2>&1 & PIDS+=($!)
dir=$(fresh_dir)
export ORCHESTRA_EMBEDDINGS_KEEP_ALIVE_S=$KEEP_ALIVE
pid=$(start_orchestra "$dir" on); PIDS+=("$pid")
unset ORCHESTRA_EMBEDDINGS_KEEP_ALIVE_S
wait_for "http://127.0.0.1:$PORT/ready" "$pid"
sleep 5
idle=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
for i in $(seq 1000); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/v1/chat/completions" -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' -d "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"hello $i\"}]}"
done
sleep 2
gateway=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
for i in $(seq 1000); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/memory/memories" -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' -d "{\"text\":\"Benchmark fact number $i about the warehouse in Leeds\"}"
done
sleep 2
memory=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
sleep $((KEEP_ALIVE + 5))
unloaded=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
grep -q "model unloaded" "$dir/out.log" || echo "warning: the embedding model was not unloaded" >&2
echo "Orchestra RSS: idle $((idle / 1024)) MiB, after 1,000 gateway calls $((gateway / 1024)) MiB, after 1,000 memory writes $((memory / 1024)) MiB, idle with the model unloaded $((unloaded / 1024)) MiB"
