#!/usr/bin/env bash
# Recall@10 and query latency of the vector index engines against the exact scan, on N vectors of
# one owner: the in-process index (jvector, over SQLite) and pgvector (HNSW in PostgreSQL), each
# beside the exact scan in the same run. Results go in docs/benchmarks.md.
# Real text by default: WordNet's glosses (Debian's wordnet-base, installed here when missing and
# root), 113,471 distinct English definitions, one sentence per line under bench/memory/cache/,
# shuffled (seed 42), embedded once with the in-process MiniLM model and cached (gitignored).
# CORPUS=random for random unit vectors.
# ENGINE=in-process (default) | pgvector | both. pgvector needs a PostgreSQL server at PG_URL
# (default postgresql://postgres@127.0.0.1:5432/postgres) with the vector extension >= 0.5 (HNSW)
# available; the bench creates and drops its own database there (orchestra_recall_bench).
# EMBED_ONLY=1 only fills the embedding cache (n + queries sentences), e.g. in the background.
# Usage: [ENGINE=both] bench/memory/recall.sh [n=100000] [queries=200] [dimensions=384] [degree build-beam search-beam]  (default: the shipped Tuning)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME:-$(bin/find-jdk)}"
export JAVA_HOME
engine=${ENGINE:-in-process}
export PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
if [[ $engine != in-process && -z "${EMBED_ONLY:-}" ]]; then
  command -v psql >/dev/null || { echo "recall.sh: ENGINE=$engine needs psql (Debian: postgresql-client)" >&2; exit 2; }
  pgvector=$(psql "$PG_URL" -qAtc "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'" 2>&1) || {
    echo "recall.sh: ENGINE=$engine needs a PostgreSQL server at PG_URL=$PG_URL: $pgvector" >&2; exit 2; }
  if [[ -z "$pgvector" ]] || ! awk -v v="$pgvector" 'BEGIN { split(v, p, "."); exit !(p[1] > 0 || p[2] >= 5) }'; then
    echo "recall.sh: ENGINE=$engine needs the pgvector extension >= 0.5 (HNSW) on the server at PG_URL=$PG_URL;" \
      "it has ${pgvector:-none}. Install it for that server's major version: Debian 13 or PGDG: apt-get install" \
      "postgresql-<major>-pgvector; elsewhere build it from source (postgresql-server-dev-<major>, then make && make install" \
      "in a pgvector checkout). Or ENGINE=in-process." >&2
    exit 2
  fi
fi
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
    [[ -s /usr/share/wordnet/data.noun ]] || {
      echo "recall.sh: the WordNet corpus needs Debian's wordnet-base (/usr/share/wordnet; apt-get install wordnet-base as root), or CORPUS=random" >&2; exit 2; }
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
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); engine: $engine${pgvector:+ (pgvector $pgvector)}; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -Xmx3g --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -Dlogback.configurationFile=bench/memory/logback-bench.xml -cp "$classpath" bench/memory/RecallBench.java "$@" 2>&1 | grep --line-buffered -v "^WARNING"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
