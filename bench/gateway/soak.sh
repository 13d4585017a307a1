#!/usr/bin/env bash
# Soak: Orchestra in front of the fake upstream at a steady rate for N minutes, RSS sampled every
# 10 s; prints the samples and whether memory plateaued (last third within 10% of the middle third).
# Usage: make build && bench/gateway/soak.sh [minutes] [requests-per-second]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
MINUTES=${1:-10}; RATE=${2:-500}
UP=18110; ORC=18210
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
node fake-upstream.mjs $UP >"$WORK/upstream.log" 2>&1 & PIDS+=($!)
JAVA_HOME=${JAVA_HOME:-$("$ROOT/bin/find-jdk")}
# shellcheck source=../lib.sh
source ../lib.sh
serve_jar "$ROOT/server/target/orchestra.jar" "$WORK/orchestra" $ORC $UP -Xmx512m
JPID=${PIDS[-1]} # the subshell execs java: this is the JVM (pgrep could find another Orchestra on a shared machine)
wait_for "http://127.0.0.1:$ORC/health" "$JPID" "$WORK/orchestra/log"

# A steady rate: one wrk per second-long slice would be coarse; instead 4 connections with a
# per-request delay tuned to the rate (wrk has no rate limit), alternating JSON and SSE bodies.
cat >"$WORK/steady.lua" <<LUA
local bodies = { '{"model":"bench","messages":[{"role":"user","content":"hi"}]}',
                 '{"model":"bench","stream":true,"messages":[{"role":"user","content":"hi"}]}' }
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
request = function() n = n + 1; return wrk.format(nil, nil, nil, bodies[n % 2 + 1]) end
delay = function() return math.floor(4000 / $RATE) end
done = function(summary) io.write(string.format("requests=%d errors=%d\n", summary.requests,
  summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status)) end
LUA
wrk -t2 -c4 -d"${MINUTES}m" -s "$WORK/steady.lua" "http://127.0.0.1:$ORC/v1/chat/completions" >"$WORK/wrk.txt" 2>&1 &
WRK=$!
echo "second rss_mib"
: >"$WORK/rss"
for ((s = 0; s < MINUTES * 60; s += 10)); do
  sleep 10
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$JPID/status")
  echo "$((s + 10)) $rss" | tee -a "$WORK/rss"
done
wait $WRK || true
tail -1 "$WORK/wrk.txt"
awk '{v[NR]=$2} END { t=int(NR/3); m=0; l=0; for (i=t+1;i<=2*t;i++) m+=v[i]; for (i=2*t+1;i<=NR;i++) l+=v[i];
  m/=t; l/=(NR-2*t); printf "middle third avg %.0f MiB, last third avg %.0f MiB: %s\n", m, l, (l <= m*1.10 ? "plateau" : "still growing") }' "$WORK/rss"
