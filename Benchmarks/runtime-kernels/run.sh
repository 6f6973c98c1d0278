#!/usr/bin/env bash
# Runtime template kernels, before/after in one run: builds bench.swift with the runtime sources
# of BASE (default: ea6f191, the commit before the threads work; 5752c73 was the one before the
# kernel work) and of the working tree, runs both alternately three times on one thread
# (ARCHSYNTH_THREADS=1), and prints thread-CPU milliseconds (best of 7 per run) with the load.
# Usage: [CALLGRIND=1] Benchmarks/runtime-kernels/run.sh [BASE]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-ea6f191}
export ARCHSYNTH_THREADS=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/base" "$work/head"
git archive "$base" Sources/ArchSynthRuntime | tar -x -C "$work/base"
mkdir -p "$work/head/Sources" && cp -r Sources/ArchSynthRuntime "$work/head/Sources/"
for v in base head; do
  cp Benchmarks/runtime-kernels/bench.swift "$work/$v/main.swift"   # top-level code must be in main.swift
  swiftc -O -wmo -module-name RuntimeKernelBench -o "$work/$v/bench" $(find "$work/$v" -name "*.swift")
done
echo "# runtime kernels; base $base ($(git log -1 --format=%cd --date=short "$base")), head $(git rev-parse --short HEAD) + working tree; $(date -u +%FT%TZ); $(uptime)"
for round in 1 2 3; do
  echo "## round $round base"; "$work/base/bench"
  echo "## round $round head"; "$work/head/bench"
done
# Instructions executed by the whole bench (load-independent), base and head: CALLGRIND=1.
if [ "${CALLGRIND:-0}" = 1 ]; then
  for v in base head; do
    valgrind --tool=callgrind --callgrind-out-file="$work/$v.callgrind" "$work/$v/bench" > /dev/null 2> "$work/$v.valgrind"
    echo "## callgrind $v: $(grep -o 'Collected : [0-9]*' "$work/$v.valgrind") instructions (whole bench)"
  done
fi
