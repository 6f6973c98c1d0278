#!/usr/bin/env bash
# Issue 23's registration goal in one command (for a quiet machine): builds the release CLI, times
# the runtime kernels against BASE (default 6b47454, the commit before the Float path; thread-CPU
# ms, one thread), then the carl training step of `archsynth train registration --precision float`
# and `double` against its layer-for-layer PyTorch twin in float32 and float64 at 1 and 2 threads,
# three alternating rounds. Raw outputs (with the load average) go to OUT.
# Usage: [OUT=DIR] [PYTHON=Benchmarks/.venv/bin/python] Benchmarks/registration/float_vs_torch.sh [BASE]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-6b47454}
out=${OUT:-Benchmarks/registration/results/float-vs-torch-$(date -u +%F)}
python=${PYTHON:-Benchmarks/.venv/bin/python}
mkdir -p "$out"
swift build -c release --product archsynth
Benchmarks/runtime-kernels/run.sh "$base" > "$out/runtime-kernels.txt"
OMP_WAIT_POLICY=PASSIVE "$python" Benchmarks/registration/torch_twin.py --archsynth .build/release/archsynth \
  --stencil 5 --diffusion 0.05 --batch 4 --steps 12 --warmup 2 --threads 1 2 --rounds 3 > "$out/torch-twin.json"
echo "wrote $out/runtime-kernels.txt and $out/torch-twin.json (archsynth $(git rev-parse --short HEAD); load now: $(cat /proc/loadavg))"
