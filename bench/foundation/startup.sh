#!/usr/bin/env bash
# Startup time to the first healthy /health, and idle RSS, of the built server on a fresh SQLite
# data dir. Compares a plain JVM start with one using a JDK AOT cache (JDK 25+), in the same run.
# Usage: bench/foundation/startup.sh [runs]   (after `make build`)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
JAVA_HOME=${JAVA_HOME:-$(bin/find-jdk)}
JAVA="$JAVA_HOME/bin/java"
JAR=server/target/orchestra.jar
PORT=${PORT_BASE:-18400}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FLAGS=(-XX:+UseSerialGC -Djdk.virtualThreadScheduler.parallelism=4 --enable-native-access=ALL-UNNAMED)

now_ms() { date +%s%3N; }

one_run() { # variant-flags... ; prints "startup_ms rss_kib"
  local dir; dir=$(mktemp -d -p "$WORK")
  local start; start=$(now_ms)
  (cd "$dir" && exec "$JAVA" "${FLAGS[@]}" "$@" -Dorchestra.port="$PORT" -Dorchestra.host=127.0.0.1 -jar "$OLDPWD/$JAR" serve >"$dir/out.log" 2>&1) &
  local pid=$!
  until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do
    sleep 0.01
    if ! kill -0 $pid 2>/dev/null; then echo "server died: $(tail -5 "$dir/out.log")" >&2; exit 1; fi
  done
  local ready; ready=$(now_ms)
  sleep 5
  local rss; rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo "$((ready - start)) $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

report() { # name results-file
  local s r
  s=$(cut -d' ' -f1 "$2" | median); r=$(cut -d' ' -f2 "$2" | median)
  printf "%-22s startup p50 %6s ms   idle RSS p50 %6s MiB\n" "$1" "$s" "$((r / 1024))"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$JAVA" -version 2>&1 | head -1)"
for _ in $(seq "$RUNS"); do one_run >>"$WORK/plain"; done
report "plain JVM" "$WORK/plain"

AOT="$WORK/orchestra.aot"
if "$JAVA" -XX:AOTCacheOutput="$AOT" -version >/dev/null 2>&1; then
  # Training run: start, serve a few requests, stop; the JVM writes the cache at exit.
  one_run -XX:AOTCacheOutput="$AOT" >/dev/null
  for _ in $(seq "$RUNS"); do one_run -XX:AOTCache="$AOT" >>"$WORK/aot"; done
  report "AOT cache (JDK 25)" "$WORK/aot"
  awk -v p="$(cut -d' ' -f1 "$WORK/plain" | median)" -v a="$(cut -d' ' -f1 "$WORK/aot" | median)" \
    'BEGIN {printf "ratio plain/AOT startup: %.2fx\n", p/a}'
fi
