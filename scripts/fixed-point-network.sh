#!/bin/sh
# docs/results/unrolled-blocks/fixed-point-network.txt: the learned fixed-point step
# (--step network) generated, trained and verified at N = 16 (trained and one Adam iteration)
# and N = 32. Usage: scripts/fixed-point-network.sh [archsynth binary] > fixed-point-network.txt
# (the verify cache goes to a temporary directory).
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/.build/release/archsynth}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export ARCHSYNTH_CACHE="$TMP/cache"
cd "$TMP"
run() {
    echo "\$ archsynth $*"
    start=$(date +%s.%N)
    "$BIN" "$@" 2>&1 || echo "(exit $?)"
    echo "(wall $(echo "$(date +%s.%N) - $start" | bc | xargs printf '%.2f') s)"
    echo
}
run generate block unrolled-fixed-point --grid 16 --steps 8 --step network --name LearnedAligner -o LearnedAligner.swift
run verify LearnedAligner.swift
run generate block unrolled-fixed-point --grid 16 --steps 8 --step network --train 1 --name UntrainedAligner -o UntrainedAligner.swift
run generate block unrolled-fixed-point --grid 32 --steps 8 --step network --channels 6 --stencil 5 --train 600 --name LearnedAligner32 -o LearnedAligner32.swift
run verify LearnedAligner32.swift
