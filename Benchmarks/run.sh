#!/usr/bin/env bash
# archsynth benchmarks, one run, everything on the same machine (BENCHMARKS.md):
#   groups: Schreier–Sims and Todd–Coxeter, archsynth vs GAP 4 (Debian package `gap`);
#   solver: IntertwinerSolver vs a dense-SVD baseline (in archsynth-bench) and vs EMLP 1.0.3.
# Installs what it needs when missing: GAP with apt-get, EMLP into Benchmarks/.venv from PyPI.
# Nothing here is needed by the tests. Run it alone: the timings assume a quiet machine.
#
# Environment: RUNS (best of, default 3), EMLP_TIMEOUT (seconds per EMLP case, default 300),
#              GAP_COSET_RUNS (runs of the GAP coset script, default 1: from PSL(2,41) on each
#              case takes ~30 s to hit GAP's 16M-coset limit), SKIP_GAP=1, SKIP_EMLP=1, OUT (output directory).
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
EMLP_TIMEOUT=${EMLP_TIMEOUT:-300}
GAP_COSET_RUNS=${GAP_COSET_RUNS:-1}
OUT=${OUT:-Benchmarks/out}   # e.g. OUT=Benchmarks/results/$(date +%F) to keep the raw outputs with the tables
VENV=Benchmarks/.venv
mkdir -p "$OUT"
log() { echo "== $*" >&2; }

# 1. Tools.
if [ "${SKIP_GAP:-0}" != 1 ] && ! command -v gap >/dev/null; then
    log "installing GAP (apt-get install gap)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update && $SUDO apt-get install -y gap || log "GAP install failed: the GAP columns stay empty"
fi
if [ "${SKIP_EMLP:-0}" != 1 ] && ! "$VENV/bin/python" -c 'import emlp, six' 2>/dev/null; then
    log "installing EMLP 1.0.3 into $VENV"
    {
        python3 -m venv "$VENV" &&
        # six: objax 1.8.0 imports it without declaring it (ModuleNotFoundError: No module named 'six').
        "$VENV/bin/pip" install emlp==1.0.3 jax==0.4.30 jaxlib==0.4.30 numpy==1.26.4 scipy==1.13.1 \
            objax==1.8.0 optax==0.2.3 plum-dispatch==1.7.4 six
    } > "$OUT/emlp_install.log" 2>&1 || log "EMLP install failed: see $OUT/emlp_install.log"
fi

# 2. Build (release).
log "building archsynth-bench (release)"
swift build -c release --product archsynth-bench || exit 1
BIN="$(swift build -c release --product archsynth-bench --show-bin-path)/archsynth-bench"

uptime > "$OUT/machine.txt"; nproc >> "$OUT/machine.txt"
grep -m1 'model name' /proc/cpuinfo >> "$OUT/machine.txt" || true
swift --version 2>&1 | head -1 >> "$OUT/machine.txt"

# 3. Our side, one benchmark after the other.
log "archsynth: groups"
"$BIN" groups --runs "$RUNS" --json > "$OUT/groups.json" || exit 1
log "archsynth: solver"
"$BIN" solver --runs "$RUNS" --json > "$OUT/solver.json" || exit 1
"$BIN" emlp-inputs > "$OUT/emlp_inputs.json" || exit 1

# 4. GAP on the same inputs.
: > "$OUT/gap_schreier_sims.txt"; : > "$OUT/gap_cosets.txt"
if [ "${SKIP_GAP:-0}" != 1 ] && command -v gap >/dev/null; then
    gap -q -c 'Print(GAPInfo.Version, "\n"); QUIT;' > "$OUT/gap_version.txt" 2>&1 || true
    log "GAP: Schreier–Sims (best of 3 inside the script)"
    gap -q Benchmarks/schreier-sims/gap_bench.g >> "$OUT/gap_schreier_sims.txt"
    for i in $(seq "$GAP_COSET_RUNS"); do
        log "GAP: coset enumeration, run $i of $GAP_COSET_RUNS"
        gap -q -o 20g Benchmarks/coset-enumeration/gap_bench.g >> "$OUT/gap_cosets.txt"
    done
fi

# 5. EMLP on the same generators, each case in its own process with a timeout.
: > "$OUT/emlp.jsonl"
if [ "${SKIP_EMLP:-0}" != 1 ] && [ -x "$VENV/bin/python" ]; then
    log "EMLP (timeout ${EMLP_TIMEOUT}s per case)"
    JAX_PLATFORMS=cpu "$VENV/bin/python" Benchmarks/emlp/emlp_bench.py "$OUT/emlp_inputs.json" \
        --timeout "$EMLP_TIMEOUT" > "$OUT/emlp.jsonl"
fi

# 6. Combined tables with ratios.
python3 Benchmarks/combine.py "$OUT" | tee "$OUT/results.md"
