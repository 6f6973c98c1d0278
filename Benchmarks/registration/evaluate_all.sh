#!/bin/sh
# Evaluates the identity baseline and every trained peer (weights/PEER-SET.pt,
# not the -pN checkpoints) on its set, then rewrites results/summary.md and
# the shift-test plots.  Usage: ./evaluate_all.sh [SET ...] (default: every
# set under data/).  PY=path/to/python overrides the interpreter.
set -eu
cd "$(dirname "$0")"
PY=${PY:-../.venv/bin/python}
mkdir -p logs
if [ $# -eq 0 ]; then set -- $(ls data); fi
for set in "$@"; do
    "$PY" evaluate.py --set data/$set --identity > logs/eval-identity-$set.log 2>&1
    for peer in gradicon constricon; do
        if [ -f weights/$peer-$set.pt ]; then
            "$PY" evaluate.py --set data/$set --peer weights/$peer-$set.pt > logs/eval-$peer-$set.log 2>&1
        fi
    done
    echo "evaluated $set"
done
"$PY" table.py > /dev/null
"$PY" plot.py
