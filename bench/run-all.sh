#!/usr/bin/env bash
# Every benchmark, in the order docs/benchmarks.md reports them (about 10 minutes without the soak).
# Usage: make bench            (SOAK=1 make bench adds the 10-minute gateway soak)
set -euo pipefail
cd "$(dirname "$0")"
foundation/startup.sh 5
gateway/run.sh 10
if [[ "${SOAK:-0}" == 1 ]]; then gateway/soak.sh 10 500; fi
