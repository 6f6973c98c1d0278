#!/usr/bin/env bash
# Reproduces Benchmarks/pytorch/results/*.txt (tables in BENCHMARKS.md "PyTorch target"):
# generates the layers with the archsynth binary, then runs bench.py in one process per table,
# one thread each. Python environments (pinned: torch 2.13.0+cpu, escnn 1.0.11 with numpy
# 1.26.4 in .venv; emlp 1.0.3 with jax 0.10.2 in .venv-emlp; see README.md here).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
archsynth="${ARCHSYNTH:-$here/../../.build/release/archsynth}"
gen="$here/generated"
mkdir -p "$gen" "$here/results"
layer() { "$archsynth" generate layer "$2" --in "$3" --out "$4" --name "$1" -o "$gen/$1.py" --target pytorch "${@:5}" >/dev/null; }
layer S5Pair symmetric:5 'natural^2' 'natural^2'
layer S10Pair symmetric:10 'natural^2' 'natural^2'
layer S30Pair symmetric:30 'natural^2' 'natural^2'
layer C16Regular cyclic:16 '8*regular' '8*regular'
layer D8Regular dihedral:8 '8*regular' '8*regular'
layer GridConv 'cyclic:16 x cyclic:16' '4*regular' '4*regular' --support 3
layer H8Pair hyperoctahedral:8 'natural^2' 'natural^2'
layer D5Dense dihedral:5 'natural + plane' 'plane*plane + natural + trivial'
layer Q3Factored dicyclic12 'quaternion^3' 'quaternion^3' --strategy factored
layer O24Regular symmetric:4 '8*regular' '8*regular'
layer I60Regular alternating:5 '8*regular' '8*regular'
layer D8PlanePair dihedral:8 'plane^2' 'plane^2'
layer RubikFacelets rubik3 facelets facelets
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1
tables="${*:-hand escnn emlp}"   # ./run.sh escnn: only that table
# TAG=name: write results/TABLE-name.txt instead of overwriting the committed results/TABLE.txt.
out() { echo "$here/results/$1${TAG:+-$TAG}.txt"; }
for t in $tables; do
    case "$t" in
    hand) "$here/.venv/bin/python" -W ignore "$here/bench.py" "$gen" 2>&1 | tee "$(out hand-written)" ;;
    escnn) "$here/.venv/bin/python" -W ignore "$here/bench.py" "$gen" --peer escnn 2>&1 | tee "$(out escnn)" ;;
    # The closed-form rule (PyTorchLayerEmitter.closedFormChoice): symmetric:n natural^2 in every torch form.
    closed)
        mkdir -p "$gen/closed"
        for n in 5 8 10 12 13 14 16 20 30 40 60; do
            "$archsynth" generate layer "symmetric:$n" --in 'natural^2' --out 'natural^2' --name "Closed$n" -o "$gen/closed/Closed$n.py" --target pytorch >/dev/null
        done
        "$here/.venv/bin/python" -W ignore "$here/closed_forms.py" "$gen/closed" 2>&1 | tee "$(out closed-forms)" ;;
    # TQDM_DISABLE: tqdm 4.70.1's progress bar raises inside EMLP's Krylov solver (numpy.float32 seconds)
    emlp) TQDM_DISABLE=1 "$here/.venv-emlp/bin/python" -W ignore "$here/bench.py" "$gen" --peer emlp 2>&1 | tee "$(out emlp)" ;;
    # Old against new modules of the same layers in one process (ab.py): OLD_ARCHSYNTH is the
    # baseline binary (e.g. main's release build), $archsynth the current one.
    ab)
        mkdir -p "$gen/old"
        for l in S5Pair:5 S10Pair:10 S30Pair:30; do
            "${OLD_ARCHSYNTH:?set OLD_ARCHSYNTH to the baseline archsynth binary}" generate layer "symmetric:${l#*:}" --in 'natural^2' --out 'natural^2' --name "${l%:*}" -o "$gen/old/${l%:*}.py" --target pytorch >/dev/null
        done
        "$here/.venv/bin/python" -W ignore "$here/ab.py" "$gen/old" "$gen" S5Pair S10Pair S30Pair 2>&1 | tee "$(out old-vs-new-closed)" ;;
    *) echo "unknown table $t (hand, escnn, emlp, closed, ab)" >&2; exit 64 ;;
    esac
done
