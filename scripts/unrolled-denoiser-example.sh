#!/bin/sh
# The unrolled-gradient block's worked example (docs/results/unrolled-blocks.md):
# generate an S_5 denoiser block, compile it with Examples/UnrolledDenoiser/main.swift against the
# runtime sources, train it. Usage: scripts/unrolled-denoiser-example.sh [archsynth binary] [energy]
# (energy: quadratic (default), quartic or network:REPS, e.g. network:2*natural,trivial)
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/.build/release/archsynth}
ENERGY=${2:-quadratic}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$BIN" generate block unrolled-gradient symmetric:5 --x natural --context natural --steps 4 --share --energy "$ENERGY" --name Denoiser -o "$TMP/Denoiser.swift"
# One module: the runtime sources, the generated file (without its import) and the example.
sed '/^import ArchSynthRuntime$/d' "$TMP/Denoiser.swift" > "$TMP/DenoiserBlock.swift"
swiftc -O -module-name UnrolledDenoiser "$ROOT"/Sources/ArchSynthRuntime/*/*.swift "$ROOT"/Sources/ArchSynthRuntime/*/*/*.swift "$TMP/DenoiserBlock.swift" "$ROOT/Examples/UnrolledDenoiser/main.swift" -o "$TMP/denoiser"
"$TMP/denoiser"
