#!/usr/bin/env bash
# Knowledge-graph memory over MCP: the reference server (@modelcontextprotocol/server-memory, stdio,
# its memory.jsonl in a temp dir) against Orchestra over Streamable HTTP (/mcp, bearer key) and over
# stdio (orchestra mcp --stdio), driven by one client on the official MCP TypeScript SDK with the
# same workload, for each N. Fresh data for every target and every N.
# Usage: make build && bench/memory/run.sh [N...]          (default: 1000 10000 100000)
#        DB=postgres bench/memory/run.sh 10000             (Orchestra on PostgreSQL: PG_URL, default
#                                                           postgresql://postgres@127.0.0.1:5432/postgres)
#        TARGETS=orchestra bench/memory/run.sh 100000      (Orchestra only, without the reference)
#        KEEP=results.jsonl bench/memory/run.sh            (keep the raw results; node report.mjs renders them)
#        BASELINE_JAR=/path/orchestra.jar bench/memory/run.sh (adds "baseline-stdio": an older build over stdio
#                                                           in the same run, to show what a change did)
set -euo pipefail
cd "$(dirname "$0")"
BENCH=$(pwd)
ROOT=$(cd ../.. && pwd)
SIZES=("$@"); [[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 10000 100000)
PORT=${PORT:-18500}
DB=${DB:-sqlite}
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
TARGETS=${TARGETS:-all}
WORK=$(mktemp -d)
SERVER=""
RESULTS="$WORK/results.jsonl"
cleanup() {
  [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null
  [[ -z "${KEEP:-}" || ! -f "$RESULTS" ]] || cp "$RESULTS" "$KEEP"   # also when a run fails half-way
  if [[ $DB == postgres ]]; then
    psql "$PG_URL" -qc "DROP DATABASE IF EXISTS orchestra_bench_http WITH (FORCE)" \
      -c "DROP DATABASE IF EXISTS orchestra_bench_stdio WITH (FORCE)" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
[[ -d node_modules/@modelcontextprotocol/server-memory ]] || npm install --no-audit --no-fund --silent
JAVA_HOME=${JAVA_HOME:-$("$ROOT/bin/find-jdk")}
JAVA=("$JAVA_HOME/bin/java" -XX:+UseSerialGC -Djdk.virtualThreadScheduler.parallelism=4 --enable-native-access=ALL-UNNAMED)
KEY=orc_bench-admin-key-0123456789abcdef

fresh_pg() { # name -> a URL of a new, empty database on the PostgreSQL server
  psql "$PG_URL" -qAtc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
  echo "${PG_URL%/*}/$1"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%F); Orchestra on $DB;" \
     "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1); node $(node --version); load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$WORK/machine"
for n in "${SIZES[@]}"; do
  dir="$WORK/n$n"; mkdir -p "$dir/http" "$dir/stdio" "$dir/reference"
  http_env=(); stdio_env=""
  if [[ $DB == postgres ]]; then
    http_env=(ORCHESTRA_DB_URL="$(fresh_pg "orchestra_bench_http")")
    stdio_env=",ORCHESTRA_DB_URL=$(fresh_pg "orchestra_bench_stdio")"
  fi
  (cd "$dir/http" && exec env "${http_env[@]}" ORCHESTRA_ADMIN_KEY=$KEY ORCHESTRA_PORT=$PORT ORCHESTRA_HOST=127.0.0.1 \
      ORCHESTRA_DATA_DIR="$dir/http" ORCHESTRA_LOG_FORMAT=json "${JAVA[@]}" -jar "$ROOT/server/target/orchestra.jar" serve \
      >"$dir/http/server.log" 2>&1) &
  SERVER=$!
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.25; done
  targets=(--target "orchestra-http|http|http://127.0.0.1:$PORT/mcp|$KEY|$SERVER"
           --target "orchestra-stdio|stdio|$JAVA_HOME/bin/java|${JAVA[*]:1} -jar $ROOT/server/target/orchestra.jar mcp --stdio --owner admin|ORCHESTRA_DATA_DIR=$dir/stdio$stdio_env")
  if [[ -n "${BASELINE_JAR:-}" ]]; then
    [[ $DB == sqlite ]] || { echo "run.sh: BASELINE_JAR runs on SQLite only" >&2; exit 2; }
    targets+=(--target "baseline-stdio|stdio|$JAVA_HOME/bin/java|${JAVA[*]:1} -jar $BASELINE_JAR mcp --stdio --owner admin|ORCHESTRA_DATA_DIR=$dir/baseline")
  fi
  if [[ $DB == postgres ]]; then
    # Measure PostgreSQL as it runs in steady state: autovacuum gathers the statistics (row counts,
    # the trigram indexes' sizes) a minute or so after a bulk load; without them it plans scans.
    targets+=(--after-load "psql -qc 'VACUUM ANALYZE' ${http_env[0]#ORCHESTRA_DB_URL=} && psql -qc 'VACUUM ANALYZE' ${stdio_env#,ORCHESTRA_DB_URL=}")
  fi
  if [[ $TARGETS == all ]]; then
    targets+=(--target "reference|stdio|$(command -v node)|$BENCH/node_modules/@modelcontextprotocol/server-memory/dist/index.js|MEMORY_FILE_PATH=$dir/reference/memory.jsonl")
  fi
  node "$BENCH/client.mjs" --n "$n" --out "$RESULTS" "${targets[@]}"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/machine"
node "$BENCH/report.mjs" "$RESULTS"
