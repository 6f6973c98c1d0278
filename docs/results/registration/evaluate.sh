#!/bin/sh
# Evaluates the four trained templates with the peer branch's evaluate.py (one `archsynth register`
# process per registration), then checks each model's law with `archsynth verify model.json`.
# Run from the repository root after training (docs/results/registration.md has the training commands).
# PEER: the peer branch's Benchmarks/registration folder (data/ and evaluate.py); PY: its venv's python.
set -e
PEER=${PEER:-/work/wt-peer/Benchmarks/registration}
PY=${PY:-/work/main/Benchmarks/.venv/bin/python}
BIN=${BIN:-.build/release/archsynth}
OUT=docs/results/registration
for set in triangles-64 real-64; do
  for t in carl constricon; do
    (cd "$PEER" && $PY evaluate.py --set data/$set --archsynth "$OLDPWD/$BIN" --model "$OLDPWD/Benchmarks/registration/models/$t-$set.json" \
      --name archsynth-$t --results "$OLDPWD/$OUT") > $OUT/evaluate-$t-$set.log 2>&1 &
  done
done
wait
for set in triangles-64 real-64; do
  for t in carl constricon; do
    $BIN verify Benchmarks/registration/models/$t-$set.json --images "$PEER/data/$set/train" --pairs 4 > $OUT/verify-$t-$set.txt 2>&1 || true
  done
done
