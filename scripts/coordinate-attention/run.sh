#!/bin/sh
# Builds the coordinate-attention measurement program (runtime sources + the experiment, one
# module, -O -wmo) and runs it: scripts/coordinate-attention/run.sh equivariance | experiment quick|full SEED
set -e
cd "$(dirname "$0")/../.."
out=${TMPDIR:-/tmp}/archsynth-coordinate-attention
swiftc -O -wmo -module-name CoordinateAttentionMeasure Sources/ArchSynthRuntime/*/*.swift \
    Sources/ArchSynth/Templates/CoordinateAttention/CoordinateAttentionExperiment.swift \
    scripts/coordinate-attention/main.swift -o "$out"
"$out" "$@"
