#!/usr/bin/env bash
# The carl training step before/after a change, and against PyTorch, in one command (for a quiet
# machine). Builds the release CLI of BASE (default f6080f6, the commit before the Float
# attention, sparse-map and heap changes) in a temporary clone and of the working tree, runs
# carl_ab.py (both binaries alternately, five rounds, float and double, 1 and 2 threads: wall and
# CPU ms per pair, page faults), then torch_twin.py (the working tree's binary against its PyTorch
# twin, three rounds). Raw outputs, with the load average before and after every round, go to OUT.
# Usage: [OUT=DIR] [PYTHON=Benchmarks/.venv/bin/python] [BASE_BINARY=path] Benchmarks/registration/carl_float_ab.sh [BASE]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-f6080f6}
out=${OUT:-Benchmarks/registration/results/carl-float-ab-$(date -u +%F)}
python=${PYTHON:-Benchmarks/.venv/bin/python}
mkdir -p "$out"
swift build -c release --product archsynth
base_binary=${BASE_BINARY:-}
if [ -z "$base_binary" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  git worktree add --detach "$work/base" "$base" > /dev/null
  trap 'git worktree remove --force "$work/base"; rm -rf "$work"' EXIT
  (cd "$work/base" && swift build -c release --product archsynth)
  base_binary="$work/base/.build/release/archsynth"
fi
echo "load before: $(cat /proc/loadavg)" > "$out/load.txt"
OMP_WAIT_POLICY=PASSIVE "$python" Benchmarks/registration/carl_ab.py --base "$base_binary" --head .build/release/archsynth \
  --rounds 5 --threads 1 2 > "$out/carl-ab.json"
OMP_WAIT_POLICY=PASSIVE "$python" Benchmarks/registration/torch_twin.py --archsynth .build/release/archsynth \
  --stencil 5 --diffusion 0.05 --batch 4 --steps 12 --warmup 2 --threads 1 2 --rounds 3 > "$out/torch-twin.json"
echo "load after: $(cat /proc/loadavg)" >> "$out/load.txt"
echo "wrote $out/carl-ab.json and $out/torch-twin.json (base $base, head $(git rev-parse --short HEAD); load now: $(cat /proc/loadavg))"
