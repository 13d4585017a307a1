#!/usr/bin/env bash
# Gateway overhead benchmark: a fast fake upstream, measured directly, through Orchestra, and
# through Portkey's open-source gateway, in one run, with wrk at 1 and 16 connections, JSON and SSE.
# Usage: make build && bench/gateway/run.sh [seconds-per-cell]     (loopback only)
set -euo pipefail
cd "$(dirname "$0")"
BENCH=$(pwd)
ROOT=$(cd ../.. && pwd)
SECONDS_PER=${1:-10}
UP=18100; ORC=18200; PK=18300
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 1; }
[[ -d node_modules/@portkey-ai/gateway ]] || npm install --no-audit --no-fund --silent

node fake-upstream.mjs $UP >"$WORK/upstream.log" 2>&1 & PIDS+=($!)

JAVA_HOME=${JAVA_HOME:-$("$ROOT/bin/find-jdk")}
# shellcheck source=../lib.sh
source "$BENCH/../lib.sh"
serve_jar "$ROOT/server/target/orchestra.jar" "$WORK/orchestra" $ORC $UP
ORC_PID=${PIDS[-1]}

NODE_ENV=production node --import "$BENCH/bind-loopback.mjs" node_modules/@portkey-ai/gateway/build/start-server.js \
  --port=$PK --headless >"$WORK/portkey.log" 2>&1 & PIDS+=($!)

wait_for "http://127.0.0.1:$ORC/health" "$ORC_PID" "$WORK/orchestra/log"
wait_for "http://127.0.0.1:$PK/" "${PIDS[-1]}" "$WORK/portkey.log"

JSON='{"model":"MODEL","messages":[{"role":"user","content":"Say hello"}]}'
SSE='{"model":"MODEL","stream":true,"messages":[{"role":"user","content":"Say hello"}]}'
declare -A URL=( [direct]="http://127.0.0.1:$UP/v1/chat/completions" [orchestra]="http://127.0.0.1:$ORC/v1/chat/completions"
                 [portkey]="http://127.0.0.1:$PK/v1/chat/completions" )
declare -A MODEL=( [direct]=gpt-4o-mini [orchestra]=bench [portkey]=gpt-4o-mini )
declare -A HEAD=( [direct]="Authorization: Bearer sk-bench" [orchestra]="Authorization: Bearer $KEY"
                  [portkey]="Authorization: Bearer sk-bench|x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$UP/v1" )

run() { # target mode connections seconds -> RESULT line
  local body=$JSON; [[ $2 == sse ]] && body=$SSE
  BODY=${body/MODEL/${MODEL[$1]}} HEADERS=${HEAD[$1]} wrk -t"$(( $3 > 1 ? 2 : 1 ))" -c"$3" -d"$4"s --latency -s post.lua "${URL[$1]}" | grep RESULT
}

# JIT warm-up on 2 cores takes tens of thousands of requests: warm every target before measuring.
for target in direct orchestra portkey; do
  run "$target" json 16 10 >/dev/null
  run "$target" sse 16 5 >/dev/null
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%F); ${SECONDS_PER}s per cell"
printf "| mode | conns | target | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|---|\n"
for mode in json sse; do
  for conns in 1 16; do
    for target in direct orchestra portkey; do
      run "$target" "$mode" "$conns" 3 >/dev/null   # warm-up
      line=$(run "$target" "$mode" "$conns" "$SECONDS_PER")
      rps=$(sed -n 's/.*rps=\([0-9.]*\).*/\1/p' <<<"$line"); p50=$(sed -n 's/.*p50=\([0-9.]*\).*/\1/p' <<<"$line")
      p99=$(sed -n 's/.*p99=\([0-9.]*\).*/\1/p' <<<"$line"); err=$(sed -n 's/.*errors=\([0-9]*\) non2xx=\([0-9]*\).*/\1+\2/p' <<<"$line")
      printf "| %s | %s | %s | %s | %s | %s | %s |\n" "$mode" "$conns" "$target" "$rps" "$p50" "$p99" "$err"
      echo "$mode $conns $target $rps $p50 $p99" >>"$WORK/results"
    done
  done
done
echo
awk '{k=$1" "$2; rps[k" "$3]=$4; p50[k" "$3]=$5} END {
  for (m in seen) {}
  split("json 1|json 16|sse 1|sse 16", cells, "|");
  for (i = 1; i <= 4; i++) { c = cells[i];
    printf "%-8s orchestra added p50 %.3f ms (portkey %.3f ms); throughput orchestra/portkey %.1fx\n", c,
      p50[c" orchestra"] - p50[c" direct"], p50[c" portkey"] - p50[c" direct"], rps[c" orchestra"] / rps[c" portkey"] } }' "$WORK/results"
