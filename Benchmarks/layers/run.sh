#!/usr/bin/env bash
# Layer throughput in one run (issue 23): generated layers (forward and backward, Float, batch 64,
# one thread) built three ways against OpenBLAS sgemm through numpy on the materialized W
# (OPENBLAS_NUM_THREADS=1):
#   base      the runtime of commit $BASE (default 6b47454, before wide vectors), swiftc -O
#   portable  this checkout's runtime, swiftc -O (no -target-cpu: x86-64's SSE2 baseline)
#   wide      this checkout's runtime, swiftc -O -target-cpu native -D ARCHSYNTH_WIDE_SIMD
# Each side compiles its own generated files and its runtime as a library module with its flags,
# as a user's package does: portable and wide this checkout's files, base the files that commit
# $BASE's archsynth generates (BASE_ARCHSYNTH if set, else built here from `git archive $BASE`, a
# debug build of a few minutes), since a newer emitter may call runtime API the base lacks. The three programs run in turn,
# ROUNDS times (so the machine's load hits each side alike); each timing is the best of RUNS
# means over >= 20 ms. numpy runs after the last round, on W, X and dY written by the programs.
#
#   Benchmarks/layers/run.sh > raw.txt                  # everything (the lead's quiet re-run)
#   ONLY='DenseC16|ClosedS8' ROUNDS=1 Benchmarks/layers/run.sh   # a subset (regex on the names)
#   python3 Benchmarks/layers/table.py raw.txt          # the Markdown table in BENCHMARKS.md
#
# Needs swift, git, and python3 with numpy (PYTHON, default Benchmarks/.venv/bin/python, else
# python3). The numpy process runs OpenBLAS with the kernel for this CPU: OPENBLAS_CORETYPE is set
# from /proc/cpuinfo's flags (SkylakeX with avx512f, Haswell with avx2; SGEMM_CORETYPE overrides),
# because on this VM OpenBLAS's own detection reads a generic Xeon model and falls back to its
# Prescott (SSE3) kernel, 3-4x slower (64x64 by 64: 22-39 us against 7.5 us, 2026-12-07); the core
# OpenBLAS used is printed with each round. OPENBLAS_L2_SIZE is unset for it. Uses $ARCHSYNTH if set, else this checkout's
# debug archsynth (generation only). Raw output goes to stdout; `cat /proc/loadavg` is printed
# before every round.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/archsynth-layer-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
BASE="${BASE:-6b47454}"
ROUNDS="${ROUNDS:-3}"
RUNS="${RUNS:-5}"
ONLY="${ONLY:-}"
WIDEFLAGS="${WIDEFLAGS:--target-cpu native -D ARCHSYNTH_WIDE_SIMD}"
PYTHON="${PYTHON:-$root/Benchmarks/.venv/bin/python}"
[[ -x "$PYTHON" ]] || PYTHON=python3
if [[ -z "${ARCHSYNTH:-}" ]]; then
  (cd "$root" && swift build --product archsynth >/dev/null)
  ARCHSYNTH="$root/.build/debug/archsynth"
fi

echo "# $(swiftc --version 2>&1 | head -1); $(uname -m); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# cpu flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512f)$' | tr '\n' ' ')"
echo "# base runtime: $BASE; wide flags: $WIDEFLAGS; rounds $ROUNDS; best of $RUNS timings; load $(cat /proc/loadavg)"

python3 "$root/Benchmarks/generation/torus.py" 16 "$work/torus16.json"

# name|label|archsynth arguments (batch 64 throughout)
cases='DenseC16|C_16 natural^2 dense (d=256)|layer cyclic:16 --in natural^2 --out natural^2
ClosedS8|S_8 natural^2 closed form (d=64)|layer symmetric:8 --in natural^2 --out natural^2
ClosedS16|S_16 natural^2 closed form (d=256)|layer symmetric:16 --in natural^2 --out natural^2
TiedB8|B_8 natural^2 tying (d=64)|layer hyperoctahedral:8 --in natural^2 --out natural^2
ConvG16|C_16xC_16 grid convolution 8→8, 3×3 (d=2048)|layer TORUS --in 8*grid --out 8*grid --support 3
TableD8|D_8 group convolution 4*regular (d=64)|layer dihedral:8 --in 4*regular --out 4*regular
FactoredS4|S_4 natural^2 factored (d=16)|layer symmetric:4 --in natural^2 --out natural^2 --strategy factored'
if [[ -n "$ONLY" ]]; then cases="$(grep -E "^(${ONLY})\|" <<<"$cases")"; fi
batch=64

mkdir -p "$work/src" "$work/base-runtime"
while IFS='|' read -r name label args; do
  # shellcheck disable=SC2086
  "$ARCHSYNTH" generate ${args//TORUS/$work/torus16.json} --name "$name" -o "$work/src/$name.swift" >/dev/null
done <<<"$cases"
git -C "$root" archive "$BASE" Sources/ArchSynthRuntime | tar -x -C "$work/base-runtime"
if [[ -z "${BASE_ARCHSYNTH:-}" ]]; then
  mkdir -p "$work/base-tree"
  git -C "$root" archive "$BASE" | tar -x -C "$work/base-tree"
  (cd "$work/base-tree" && swift build --product archsynth >/dev/null)
  BASE_ARCHSYNTH="$work/base-tree/.build/debug/archsynth"
fi
mkdir -p "$work/base-src"
while IFS='|' read -r name label args; do
  # shellcheck disable=SC2086
  "$BASE_ARCHSYNTH" generate ${args//TORUS/$work/torus16.json} --name "$name" -o "$work/base-src/$name.swift" >/dev/null
done <<<"$cases"

{
cat <<SWIFT
import ArchSynthRuntime
import Foundation
struct Rng { var s: UInt64; mutating func next() -> Float { s = s &* 6364136223846793005 &+ 1442695040888963407; return Float(s >> 40) * 0x1p-24 * 2 - 1 } }
@inline(never) func timeIt(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    var best = Double.infinity
    for _ in 0..<$RUNS {
        var reps = 1
        while true {
            let t = clock.measure { for _ in 0..<reps { body() } }
            let s = Double(t.components.seconds) + Double(t.components.attoseconds) * 1e-18
            if s > 0.02 { best = min(best, s / Double(reps)); break }
            reps *= 2
        }
    }
    return best
}
func writeFloats(_ a: [Float], _ path: String) { a.withUnsafeBytes { try! Data(\$0).write(to: URL(fileURLWithPath: path)) } }
let side = CommandLine.arguments[1], dataDirectory = CommandLine.arguments[2]
var sink: Float = 0
SWIFT
while IFS='|' read -r name label args; do
cat <<SWIFT
do {
    typealias L = $name
    let dIn = L.inputDimension, dOut = L.outputDimension, count = $batch
    var rng = Rng(s: 42)
    let layer = L(weights: (0..<L.weightCount).map { _ in rng.next() }, bias: [Float](repeating: 0, count: L.biasCount))
    let x = (0..<(count * dIn)).map { _ in rng.next() }, dy = (0..<(count * dOut)).map { _ in rng.next() }
    let f = timeIt { sink += layer.forward(batch: x, count: count)[0] }
    let b = timeIt { sink += layer.backward(batch: x, outputGradient: dy, count: count).input[0] }
    // Wᵀ (dIn × dOut) from the forward pass on the identity; the forward pass is checked against
    // y = W x computed from it in Double (a plain loop), and W, X, dY go to numpy.
    var wt = [Float](repeating: 0, count: dIn * dOut)
    var j0 = 0
    while j0 < dIn {
        let m = min(256, dIn - j0)
        var e = [Float](repeating: 0, count: m * dIn)
        for j in 0..<m { e[j * dIn + j0 + j] = 1 }
        let cols = layer.forward(batch: e, count: m)
        for j in 0..<m { for r in 0..<dOut { wt[(j0 + j) * dOut + r] = cols[j * dOut + r] } }
        j0 += m
    }
    let y = layer.forward(batch: x, count: count)
    var worst = 0.0
    for n in 0..<count { for r in 0..<dOut {
        var acc = 0.0
        for k in 0..<dIn { acc += Double(wt[k * dOut + r]) * Double(x[n * dIn + k]) }
        worst = max(worst, abs(acc - Double(y[n * dOut + r])))
    } }
    if !(worst < 1e-3) { FileHandle.standardError.write("$name (\(side)): forward and W x disagree by \(worst)\n".data(using: .utf8)!); exit(1) }
    writeFloats(wt, dataDirectory + "/$name.w"); writeFloats(x, dataDirectory + "/$name.x"); writeFloats(dy, dataDirectory + "/$name.dy")
    print("gen|\(side)|$name|$label|\(count)|\(dIn)|\(dOut)|\(String(format: "%.2f", f * 1e6))|\(String(format: "%.2f", b * 1e6))")
}
SWIFT
done <<<"$cases"
echo 'if sink.isNaN { print("") }'
} > "$work/main.swift"

for side in base portable wide; do
  rtsrc=$([[ $side == base ]] && echo "$work/base-runtime/Sources/ArchSynthRuntime" || echo "$root/Sources/ArchSynthRuntime")
  flags="-O"; [[ $side == wide ]] && flags="-O $WIDEFLAGS"
  mkdir -p "$work/$side"
  # shellcheck disable=SC2086
  swiftc $flags -swift-version 6 -parse-as-library -module-name ArchSynthRuntime -emit-library -static -emit-module \
    -emit-module-path "$work/$side/ArchSynthRuntime.swiftmodule" -o "$work/$side/libArchSynthRuntime.a" \
    $(find "$rtsrc" -name '*.swift' | sort)
  # shellcheck disable=SC2086
  src=$([[ $side == base ]] && echo "$work/base-src" || echo "$work/src")
  # shellcheck disable=SC2086
  swiftc $flags -swift-version 6 -I "$work/$side" -L "$work/$side" "$work/main.swift" "$src"/*.swift -lArchSynthRuntime -o "$work/$side/bench"
  echo "# $side: swiftc $flags"
done

cat > "$work/blas.py" <<'PY'
import sys, time, numpy as np
work, runs = sys.argv[1], int(sys.argv[2])
def best(f):
    b = float("inf")
    for _ in range(runs):
        reps = 1
        while True:
            t = time.perf_counter(); [f() for _ in range(reps)]; t = time.perf_counter() - t
            if t > 0.02: b = min(b, t / reps); break
            reps *= 2
    return b
print("# numpy", np.__version__, "| BLAS:", np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"])
for line in open(work + "/cases.txt").read().splitlines():
    name, n, din, dout = line.split("|")
    n, din, dout = int(n), int(din), int(dout)
    wt = np.fromfile(f"{work}/{name}.w", dtype=np.float32).reshape(din, dout)
    x = np.fromfile(f"{work}/{name}.x", dtype=np.float32).reshape(n, din)
    dy = np.fromfile(f"{work}/{name}.dy", dtype=np.float32).reshape(n, dout)
    f = best(lambda: x @ wt)
    b = best(lambda: (dy @ wt.T, dy.T @ x))
    print(f"sgemm|{name}|{f*1e6:.2f}|{b*1e6:.2f}")
PY

if [ -z "${SGEMM_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then SGEMM_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then SGEMM_CORETYPE=Haswell
  fi
fi

for round in $(seq "$ROUNDS"); do
  for side in base portable wide; do
    echo "# round $round $side load $(cat /proc/loadavg)"
    # One thread, as single-threaded sgemm: the runtime would otherwise split large batches over
    # every core (ARCHSYNTH_THREADS; bases before the thread split ignore it).
    ARCHSYNTH_THREADS=1 "$work/$side/bench" "$side" "$work" | tee "$work/last.txt" | sed "s/^gen|/gen|$round|/"
  done
  awk -F'|' '{print $3 "|" $5 "|" $6 "|" $7}' "$work/last.txt" > "$work/cases.txt"
  echo "# round $round sgemm load $(cat /proc/loadavg)"
  env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="${SGEMM_CORETYPE:-}" OPENBLAS_VERBOSE=2 OPENBLAS_NUM_THREADS=1 \
    "$PYTHON" "$work/blas.py" "$work" "$RUNS" 2>&1 | sed "s/^sgemm|/sgemm|$round|/; s/^Core: /# openblas core: /"
done
