#!/bin/sh
# docs/results/coordinate-attention/: regenerates the generated files beside the raw outputs and
# writes verify-TwoStep3.txt and verify-S5S4Correspondence.txt (the commands the docs list).
# Usage: scripts/coordinate-attention/verify-docs.sh [archsynth binary]
# (the verify cache goes to a temporary directory).
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$ROOT/.build/release/archsynth}
OUT=$ROOT/docs/results/coordinate-attention
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export ARCHSYNTH_CACHE="$TMP/cache"
cd "$OUT"
"$BIN" generate template coordinate-attention --grid 3x3 --channels 3 --depth 2 --refine 2 --name TwoStep3 -o TwoStep3.swift
"$BIN" generate template coordinate-attention --groups symmetric:5,symmetric:4 --in natural,natural --channels 3 --depth 2 --name S5S4Correspondence -o S5S4Correspondence.swift
for name in TwoStep3 S5S4Correspondence; do
    { echo "\$ archsynth verify $name.swift"; "$BIN" verify "$name.swift" 2>&1 && echo "exit 0" || echo "exit $?"; } > "verify-$name.txt"
done
