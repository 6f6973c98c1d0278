#!/usr/bin/env bash
# Schreier–Sims timings: archsynth (release, opt-in test) and GAP on the same inputs.
# Run one at a time on a quiet machine; GAP is optional (apt-get install gap).
set -euo pipefail
cd "$(dirname "$0")/../.."
ARCHSYNTH_BENCH=1 swift test -c release --filter PermutationGroupTimingTests 2>&1 | grep '^schreier-sims'
if command -v gap >/dev/null; then
    gap -q Benchmarks/schreier-sims/gap_bench.g
else
    echo "gap not installed: skipping the GAP side" >&2
fi
