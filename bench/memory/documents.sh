#!/usr/bin/env bash
# Document retrieval quality: hit rate @5 and MRR@10 of keyword-only, vector-only, fused (RRF) and
# fused+reranker search over the installed man pages (DESCRIPTION sections as documents, NAME lines
# as questions; not the Google Cloud CLI's generated gcloud_* pages), in a SQLite file with the
# in-process index. Needs man-db (lexgrog, man) and the pages themselves (a slim image may strip
# /usr/share/man). Results go in docs/benchmarks.md.
# Usage: [RERANKER_URL=http://host:port/v1/rerank RERANKER_MODEL=…] bench/memory/documents.sh [documents=2000] [questions=200]
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME:-$(bin/find-jdk)}"
export JAVA_HOME
if [[ ! -s "bench/memory/cache/manpages-${1:-2000}.jsonl" ]]; then
  command -v lexgrog >/dev/null && command -v man >/dev/null && command -v col >/dev/null \
    || { echo "documents.sh: needs man-db and bsdextrautils (lexgrog, man, col): apt-get install man-db bsdextrautils" >&2; exit 2; }
  (( $(find /usr/share/man/man1 /usr/share/man/man8 -name '*.gz' 2>/dev/null | wc -l) >= 500 )) \
    || { echo "documents.sh: needs the installed man pages (/usr/share/man/man1, man8: 500 or more; a slim image strips them)" >&2; exit 2; }
fi
cp_file=agents/target/bench-classpath.txt
./mvnw -B -q -pl agents -am install -DskipTests
./mvnw -B -q -pl agents dependency:build-classpath -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=runtime
classpath="agents/target/classes:$(cat "$cp_file")"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -Dlogback.configurationFile=bench/memory/logback-bench.xml -cp "$classpath" bench/memory/DocumentsBench.java "$@" 2>&1 | grep --line-buffered -v "^WARNING"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
