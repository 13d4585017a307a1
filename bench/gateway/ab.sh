#!/usr/bin/env bash
# A/B of two Orchestra builds on one fast fake upstream: alternating wrk cells, and the server's CPU time per request
# (from /proc/<pid>/stat), which holds up better than throughput when the machine is shared.
# Usage: bench/gateway/ab.sh JAR_A JAR_B [json|sse] [connections] [rounds]
#   e.g. git worktree add /tmp/base <commit> && (cd /tmp/base && make build) &&
#        bench/gateway/ab.sh server/target/orchestra.jar /tmp/base/server/target/orchestra.jar sse 16 3
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n 2,6p "$0" >&2; exit 2; }
JAR_A=$(realpath "$1"); JAR_B=$(realpath "$2"); MODE=${3:-sse}; CONNS=${4:-16}; ROUNDS=${5:-3}
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
JAVA_HOME=${JAVA_HOME:-$("$ROOT/bin/find-jdk")}
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 1; }
UP=18110; PORT_A=18210; PORT_B=18220
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
node fake-upstream.mjs $UP >"$WORK/upstream.log" 2>&1 & PIDS+=($!)
# shellcheck source=../lib.sh
source ../lib.sh
serve_jar "$JAR_A" "$WORK/A" $PORT_A $UP
PID_A=${PIDS[-1]}
serve_jar "$JAR_B" "$WORK/B" $PORT_B $UP
wait_for "http://127.0.0.1:$PORT_A/health" "$PID_A" "$WORK/A/log"
wait_for "http://127.0.0.1:$PORT_B/health" "${PIDS[-1]}" "$WORK/B/log"
BODY='{"model":"bench","messages":[{"role":"user","content":"Say hello"}]}'
[[ $MODE == sse ]] && BODY='{"model":"bench","stream":true,"messages":[{"role":"user","content":"Say hello"}]}'
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The java process is the subshell's child after exec: find it by its listening port.
java_pid() { ss -ltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
cell() { # port seconds -> one line
  local pid t0 t1 result rps
  pid=$(java_pid "$1"); t0=$(cpu_ticks "$pid")
  result=$(BODY=$BODY HEADERS="Authorization: Bearer $KEY" wrk -t"$(( CONNS > 1 ? 2 : 1 ))" -c"$CONNS" -d"$2"s \
    --latency -s post.lua "http://127.0.0.1:$1/v1/chat/completions" | grep RESULT)
  t1=$(cpu_ticks "$pid"); rps=$(sed 's/.*rps=\([0-9.]*\).*/\1/' <<<"$result")
  echo "$result cpu_us_per_req=$(awk -v d=$((t1 - t0)) -v r="$rps" -v s="$2" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.1f", d * 1e6 / hz / (r * s) }')"
}
cell $PORT_A 15 >/dev/null; cell $PORT_B 15 >/dev/null # JIT warm-up
echo "machine: $(nproc) cores; $(date -u +%FT%H:%MZ); load $(cut -d' ' -f1-3 /proc/loadavg); $MODE, $CONNS connections"
for _ in $(seq 1 "$ROUNDS"); do
  echo "A $(cell $PORT_A 10)"
  echo "B $(cell $PORT_B 10)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
