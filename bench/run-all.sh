#!/usr/bin/env bash
# Every benchmark, in the order docs/benchmarks.md reports them (about 15 minutes without the soak
# and the 100k memory run).
# Usage: make bench            (SOAK=1 make bench adds the 10-minute gateway soak;
#                               MEMORY_SIZES="1000 10000 100000" make bench adds 100k entities, ~20 minutes)
set -euo pipefail
cd "$(dirname "$0")"
foundation/startup.sh 5
gateway/run.sh 10
# shellcheck disable=SC2086 # the sizes are words
memory/run.sh ${MEMORY_SIZES:-1000 10000}
if [[ "${SOAK:-0}" == 1 ]]; then gateway/soak.sh 10 500; fi
