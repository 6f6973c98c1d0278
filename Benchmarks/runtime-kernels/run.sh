#!/usr/bin/env bash
# Runtime template kernels, before/after in one run: builds bench.swift with the runtime sources
# of BASE (default: the commit before the kernel work, 5752c73) and of the working tree, runs both
# alternately three times, and prints thread-CPU milliseconds (best of 7 per run) with the load.
# Usage: Benchmarks/runtime-kernels/run.sh [BASE]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-5752c73}
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
