#!/usr/bin/env bash
# GroupTheory paths touched by the duplication clean-up (issue 19), before/after in one run:
# builds bench.swift with the GroupTheory sources of BASE (default: 78fb6f7, main before the
# branch) and of the working tree (swiftc -O -wmo, one module), runs both alternately three
# times, and prints best-of-5 milliseconds per case with the load before each run.
# Usage: Benchmarks/dedup/run.sh [BASE]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-78fb6f7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/base" "$work/head/Sources"
git archive "$base" Sources/GroupTheory | tar -x -C "$work/base"
cp -r Sources/GroupTheory "$work/head/Sources/"
for v in base head; do
  cp Benchmarks/dedup/bench.swift "$work/$v/main.swift"   # top-level code must be in main.swift
  swiftc -O -wmo -module-name DedupBench -o "$work/$v/bench" $(find "$work/$v" -name "*.swift")
done
echo "# GroupTheory dedup paths; base $base, head $(git rev-parse --short HEAD) + working tree; $(date -u +%FT%TZ)"
for round in 1 2 3; do
  echo "## round $round base; load $(cat /proc/loadavg)"; "$work/base/bench"
  echo "## round $round head; load $(cat /proc/loadavg)"; "$work/head/bench"
done
