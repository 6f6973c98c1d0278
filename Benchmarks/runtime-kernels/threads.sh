#!/usr/bin/env bash
# Batches on 1 and 2 threads, and the plain conv stack against PyTorch, in one run: builds
# threads.swift with the working tree's runtime sources (swiftc -O -wmo), then runs it and
# torch_conv_stack.py alternately three times, printing the load before each.
# Usage: Benchmarks/runtime-kernels/threads.sh [BATCH] [THREADS...]   (default 32, threads 1 2)
# PYTHON: a python with torch (default Benchmarks/.venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${PYTHON:-Benchmarks/.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/head"
cp -r Sources/ArchSynthRuntime "$work/head/"
cp Benchmarks/runtime-kernels/threads.swift "$work/head/main.swift"
swiftc -O -wmo -module-name RuntimeThreadsBench -o "$work/threads" $(find "$work/head" -name "*.swift")
echo "# runtime batches and conv stack; head $(git rev-parse --short HEAD) + working tree; $(date -u +%FT%TZ); $(nproc) cores; torch: $python"
for round in 1 2 3; do
  echo "## round $round archsynth; $(uptime)"; "$work/threads" "$@"
  echo "## round $round torch; $(uptime)"; OMP_WAIT_POLICY=PASSIVE "$python" Benchmarks/runtime-kernels/torch_conv_stack.py "$@"
done
