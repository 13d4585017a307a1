#!/usr/bin/env bash
# Recall@10 and query latency of the in-process vector index (jvector) against the exact scan it
# replaces, on N random unit vectors stored in SQLite. Results go in docs/benchmarks.md.
# Usage: bench/memory/recall.sh [n=100000] [queries=200] [dimensions=384] [degree build-beam search-beam]  (default: the shipped Tuning)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME:-$(bin/find-jdk)}"
export JAVA_HOME
cp_file=memory/target/bench-classpath.txt
./mvnw -B -q -pl memory -am install -DskipTests
./mvnw -B -q -pl memory dependency:build-classpath -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=runtime
classpath="memory/target/classes:$(cat "$cp_file")"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
"$JAVA_HOME/bin/java" -Xmx3g --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -Dlogback.configurationFile=bench/memory/logback-bench.xml -cp "$classpath" bench/memory/RecallBench.java "$@" 2>&1 | grep -v "^WARNING"
