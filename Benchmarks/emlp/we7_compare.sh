#!/usr/bin/env bash
# W(E7), reflection (7) -> weights (56): archsynth `basis` as a user runs it (a fresh
# presentation-order cache: the first call enumerates 2,903,040 cosets; the next two read the
# order from the cache) against EMLP 1.0.3's first solve (emlp_we7.py, a fresh process each run).
# Usage: Benchmarks/emlp/we7_compare.sh ARCHSYNTH_BINARY VENV_PYTHON OUT_FILE [EMLP_RUNS]
set -u
BIN=$1; PY=$2; OUT=$3; RUNS=${4:-2}
cd "$(dirname "$0")/../.."
CACHE=$(mktemp -d)
{
    echo "# W(E7) reflection -> weights; archsynth: $BIN basis Benchmarks/inputs/WE7.json --in reflection --out weights"
    echo "# ARCHSYNTH_CACHE=$CACHE (fresh); /usr/bin/time -f '%e s wall %U s user %M KB'"
    echo "# uptime before: $(uptime)"
    for call in 1 2 3; do
        echo "archsynth call $call: $( { ARCHSYNTH_CACHE=$CACHE /usr/bin/time -f '%e s wall %U s user %M KB' "$BIN" basis Benchmarks/inputs/WE7.json --in reflection --out weights > "$CACHE/out$call.txt"; } 2>&1 | tail -1)"
    done
    echo "# uptime after archsynth: $(uptime)"
    for run in $(seq "$RUNS"); do
        echo "emlp run $run: $( { JAX_PLATFORMS=cpu /usr/bin/time -f '%e s wall %U s user %M KB (process)' "$PY" Benchmarks/emlp/emlp_we7.py Benchmarks/inputs/WE7.json; } 2>&1 | grep -v -i "matplotlib" | tr '\n' ' ')"
    done
    echo "# uptime after EMLP: $(uptime)"
    echo "--- stdout of archsynth call 1"
    cat "$CACHE/out1.txt"
    echo "--- stdout of archsynth call 2"
    cat "$CACHE/out2.txt"
} > "$OUT"
rm -rf "$CACHE"
