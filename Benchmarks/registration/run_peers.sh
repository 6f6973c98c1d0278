#!/bin/sh
# Trains both peers on both 64 px sets with the same pairs budget, the two peers
# of a set side by side (2 torch threads each), then evaluates every model.
# Usage: ./run_peers.sh [PAIRS] (default 4096)    PY=path/to/python overrides the interpreter.
set -eu
cd "$(dirname "$0")"
PY=${PY:-../.venv/bin/python}
PAIRS=${1:-4096}
mkdir -p logs
for set in triangles-64 real-64; do
    for peer in gradicon constricon; do
        "$PY" peer.py --peer $peer --set data/$set --pairs "$PAIRS" --batch 8 --checkpoint-every 1024 \
            > logs/train-$peer-$set.log 2>&1 &
    done
    wait
done
PY="$PY" ./evaluate_all.sh triangles-64 real-64
