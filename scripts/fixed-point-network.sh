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
# generate never trains: train fixed-point-step writes the step, --from-model bakes it in.
run train fixed-point-step --grid 16 -o step16.json
run generate block unrolled-fixed-point --grid 16 --steps 8 --step network --from-model step16.json --name LearnedAligner -o LearnedAligner.swift
run verify LearnedAligner.swift
run train fixed-point-step --grid 16 --iterations 1 -o step16-1.json
run generate block unrolled-fixed-point --grid 16 --steps 8 --step network --from-model step16-1.json --name UntrainedAligner -o UntrainedAligner.swift
run train fixed-point-step --grid 32 --channels 6 --stencil 5 --iterations 600 -o step32.json
run generate block unrolled-fixed-point --grid 32 --steps 8 --step network --from-model step32.json --name LearnedAligner32 -o LearnedAligner32.swift
run verify LearnedAligner32.swift
