#!/usr/bin/env bash
# Recall@10 and query latency of the in-process vector index (jvector) against the exact scan it
# replaces, on N vectors stored in SQLite. Results go in docs/benchmarks.md.
# Real text by default: WordNet's glosses (Debian's wordnet-base, installed here when missing and
# root), about 117,000 English definitions, one sentence per line under bench/memory/cache/,
# embedded once with the in-process MiniLM model and cached. CORPUS=random for random unit vectors.
# Usage: bench/memory/recall.sh [n=100000] [queries=200] [dimensions=384] [degree build-beam search-beam]  (default: the shipped Tuning)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME:-$(bin/find-jdk)}"
export JAVA_HOME
cp_file=memory/target/bench-classpath.txt
./mvnw -B -q -pl memory -am install -DskipTests
./mvnw -B -q -pl memory dependency:build-classpath -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=runtime
classpath="memory/target/classes:$(cat "$cp_file")"
if [[ "${CORPUS:-wordnet}" == wordnet ]]; then
  corpus=bench/memory/cache/wordnet-glosses.txt
  if [[ ! -s "$corpus" ]]; then
    if [[ ! -d /usr/share/wordnet ]] && [[ $(id -u) == 0 ]]; then
      apt-get install -y -qq wordnet-base >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq wordnet-base >/dev/null; }
    fi
    mkdir -p bench/memory/cache
    # data.<pos> lines: "offset lex_filenum ss_type w_cnt word lex_id ... | gloss"; the gloss is the sentence.
    cat /usr/share/wordnet/data.noun /usr/share/wordnet/data.verb /usr/share/wordnet/data.adj /usr/share/wordnet/data.adv \
      | grep -v '^  ' | sed -n 's/^[^|]*| *//p' | awk 'length > 20 && !seen[$0]++' >"$corpus"
  fi
  export CORPUS="$corpus"
elif [[ "${CORPUS:-}" == random ]]; then
  unset CORPUS
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
"$JAVA_HOME/bin/java" -Xmx3g --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -Dlogback.configurationFile=bench/memory/logback-bench.xml -cp "$classpath" bench/memory/RecallBench.java "$@" 2>&1 | grep -v "^WARNING"
