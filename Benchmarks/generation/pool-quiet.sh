#!/usr/bin/env bash
# The worker pool's measurements (issue 23) as one command, for a quiet machine:
#   1. forkjoin.sh: µs per fork/join of two trivial chunks, the pool against Dispatch's path;
#   2. threads.sh at the default `minimumThreadWork`: the five generated files at 32 and 64
#      samples on 1 and 2 threads, one thread against BASE (default f6080f6, main before the pool);
#   3. threads.sh with MIN_THREAD_WORK=2048 (every pass split as far as 8-sample groups and
#      `minimumChunkWork` allow): which passes gain from a second thread, to check the default.
# Each raw file records the load before every round.
#
#   Benchmarks/generation/pool-quiet.sh TAG     # writes Benchmarks/generation/results/{forkjoin,threads-pool,threads-pool-split}-TAG.txt
#   python3 Benchmarks/generation/threads_table.py Benchmarks/generation/results/threads-pool-TAG.txt
#
# Needs `swift build` first (threads.sh generates the files with .build/debug/archsynth).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tag="${1:?usage: pool-quiet.sh TAG (e.g. quiet-2026-12-08)}"
out="$here/results"
export BASE="${BASE:-f6080f6}"
"$here/forkjoin.sh" > "$out/forkjoin-$tag.txt"
"$here/threads.sh" > "$out/threads-pool-$tag.txt"
MIN_THREAD_WORK=2048 "$here/threads.sh" > "$out/threads-pool-split-$tag.txt"
