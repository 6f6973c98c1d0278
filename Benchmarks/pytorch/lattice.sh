#!/usr/bin/env bash
# Reproduces Benchmarks/pytorch/results/lattice.txt (README.md, "PyTorch target"): the p4m 64x64
# 8 -> 8 regular-field layer at --support 5 generated with --target pytorch, against escnn's R2Conv
# for the same layer, batch 16, 2 threads, one Python process (lattice.py). Python: .venv here
# (torch 2.13.0+cpu, escnn 1.0.11). Run on a quiet machine: ./Benchmarks/pytorch/lattice.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
archsynth="${ARCHSYNTH:-$here/../../.build/release/archsynth}"
gen="$here/generated"
mkdir -p "$gen" "$here/results"
"$archsynth" generate layer wallpaper:p4m:64x64 --in '8*field(regular)' --out '8*field(regular)' --support 5 \
    --name P4M64 -o "$gen/P4M64.py" --target pytorch >/dev/null
export OMP_WAIT_POLICY=PASSIVE
"$here/.venv/bin/python" -W ignore "$here/lattice.py" "$gen/P4M64.py" --threads 2 --batch 16 --reps 5 2>&1 | tee "$here/results/lattice.txt"
