#!/usr/bin/env bash
# Generated layers and networks on 1 and 2 threads (issue 23 item 1), and single-threaded against
# the runtime before the split, in one run:
#   - the same five generated files (dense C16 natural², closed S8 natural², tied B8 natural², a
#     group convolution on a 16 × 16 torus, 8 → 8 channels, 3 × 3, and the S5 network
#     natural → 8·natural → 8·natural → trivial), compiled (swiftc -O, Float) against BASE's
#     runtime (default 6b47454, main before the split) and against this checkout's;
#   - per case, batch (32 and 64) and pass (forward, backward): BASE's time, this runtime's time on
#     1 and on 2 threads (`threads:` argument), wall µs per batch, best of RUNS timings each the
#     mean over ≥ 20 ms; the wall speed-up 1 → 2, and the critical-path estimate: the batch split as
#     on 2 threads (the forward chunks and the gradient blocks of `GeneratedBatchSplit`), each
#     thread's share run on its own thread and its thread-CPU time measured, (sum) / (largest) —
#     the speed-up an idle machine would show if only the split mattered (the dy sums and the
#     block additions, serial, are left out);
#   - BASE and this runtime alternate, ROUNDS times, with the load printed before each.
#
#   Benchmarks/generation/threads.sh > Benchmarks/generation/results/threads-DATE.txt
#   python3 Benchmarks/generation/threads_table.py Benchmarks/generation/results/threads-DATE.txt
#
# ARCHSYNTH: the binary that generates the files (default .build/debug/archsynth; build it first).
# BASE: the git revision whose Sources/ArchSynthRuntime is the single-thread baseline.
# MIN_THREAD_WORK: when set, this checkout's program sets `GeneratedBatchSplit.minimumThreadWork` to it
# (both its 1- and 2-thread columns: the threshold also sizes the gradient blocks); BASE keeps its default.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ARCHSYNTH="${ARCHSYNTH:-$root/.build/debug/archsynth}"
BASE="${BASE:-6b47454}"
ROUNDS="${ROUNDS:-3}"
RUNS="${RUNS:-5}"
work="$(mktemp -d "${TMPDIR:-/tmp}/archsynth-gen-threads.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "# generated layers and networks on 1 and 2 threads; head $(git -C "$root" rev-parse --short HEAD) + working tree; base $BASE; MIN_THREAD_WORK ${MIN_THREAD_WORK:-default}"
echo "# $(swiftc --version 2>&1 | head -1); $(nproc) cores; rounds $ROUNDS; best of $RUNS timings; $(date -u +%FT%TZ); loadavg $(cat /proc/loadavg)"

python3 "$root/Benchmarks/generation/torus.py" 16 "$work/torus16.json"

# name|kind|archsynth arguments
cases='DenseC16|layer|layer cyclic:16 --in natural^2 --out natural^2
ClosedS8|layer|layer symmetric:8 --in natural^2 --out natural^2
TiedB8|layer|layer hyperoctahedral:8 --in natural^2 --out natural^2
ConvG16|layer|layer TORUS --in 8*grid --out 8*grid --support 3
MaxNetwork|network|network symmetric:5 --reps natural,8*natural,8*natural,trivial'
if [[ -n "${ONLY:-}" ]]; then cases="$(grep -E "^(${ONLY})\|" <<<"$cases")"; fi

mkdir -p "$work/src" "$work/base/rt" "$work/head/rt" "$work/base/runtime"
while IFS='|' read -r name kind args; do
  # shellcheck disable=SC2086
  "$ARCHSYNTH" generate ${args//TORUS/$work/torus16.json} --name "$name" -o "$work/src/$name.swift" >/dev/null
  echo "# $name: $(grep -m1 '^// Forward strategy:' "$work/src/$name.swift" || echo "// network")"
done <<<"$cases"
git -C "$root" archive "$BASE" Sources/ArchSynthRuntime | tar -x -C "$work/base/runtime"
for side in base head; do
  rtsrc=$([[ $side == base ]] && echo "$work/base/runtime/Sources/ArchSynthRuntime" || echo "$root/Sources/ArchSynthRuntime")
  swiftc -O -swift-version 6 -parse-as-library -module-name ArchSynthRuntime -emit-library -static -emit-module \
    -emit-module-path "$work/$side/rt/ArchSynthRuntime.swiftmodule" -o "$work/$side/rt/libArchSynthRuntime.a" \
    $(find "$rtsrc" -name '*.swift' | sort)
done

# One program per side. HEAD (-D THREADED) times 1 and 2 threads and the critical path; BASE, one thread.
{
cat <<SWIFT
import ArchSynthRuntime
#if canImport(Glibc)
    import Glibc
#endif
struct Rng { var s: UInt64; mutating func next() -> Float { s = s &* 6364136223846793005 &+ 1442695040888963407; return Float(s >> 40) * 0x1p-24 * 2 - 1 } }
func clock(_ id: clockid_t) -> Double { var t = timespec(); clock_gettime(id, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
/// Best over $RUNS timings of the mean wall seconds of body (repeated until one timing is ≥ 20 ms).
func timeIt(_ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<$RUNS {
        var reps = 1
        while true {
            let t0 = clock(CLOCK_MONOTONIC)
            for _ in 0..<reps { body() }
            let s = clock(CLOCK_MONOTONIC) - t0
            if s > 0.02 { best = min(best, s / Double(reps)); break }
            reps *= 2
        }
    }
    return best
}
var sink: Float = 0
#if THREADED
if let w = Int("${MIN_THREAD_WORK:-}") { GeneratedBatchSplit.minimumThreadWork = w }
print("# minimumThreadWork \(GeneratedBatchSplit.minimumThreadWork)")
/// (Σ thread CPU) / (max thread CPU) of running each thread's share of the split on its own thread
/// (each share best of $RUNS, repeated like timeIt).
func criticalPath(_ shares: [() -> Void]) -> Double {
    let cpu = RuntimeThreads.map(shares.count, threads: shares.count) { i -> Double in
        var best = Double.infinity
        for _ in 0..<$RUNS {
            var reps = 1
            while true {
                let t0 = clock(CLOCK_THREAD_CPUTIME_ID)
                for _ in 0..<reps { shares[i]() }
                let s = clock(CLOCK_THREAD_CPUTIME_ID) - t0
                if s > 0.01 { best = min(best, s / Double(reps)); break }
                reps *= 2
            }
        }
        return best
    }
    return cpu.reduce(0, +) / cpu.max()!
}
/// The forward chunks of GeneratedBatchSplit on 2 threads (groups of 8 samples split in 2).
func forwardShares(count: Int, work: Int) -> [Range<Int>] {
    let t = GeneratedBatchSplit.threads(2, count: count, workPerSample: work), groups = (count + 7) / 8
    return (0..<t).map { c in (groups * c / t * 8)..<min(groups * (c + 1) / t * 8, count) }
}
/// The gradient blocks as the 2 threads share them (contiguous runs of blocks).
func backwardShares(_ blocks: [Range<Int>], count: Int, work: Int) -> [Range<Int>] {
    let t = min(GeneratedBatchSplit.threads(2, count: count, workPerSample: work), blocks.count), n = blocks.count
    return (0..<t).map { c in blocks[n * c / t].lowerBound..<blocks[n * (c + 1) / t - 1].upperBound }
}
#endif
SWIFT
while IFS='|' read -r name kind args; do
cat <<SWIFT
do {
    typealias L = $name
    var rng = Rng(s: 42)
    let model = L(weights: (0..<L.weightCount).map { _ in rng.next() }, bias: (0..<L.biasCount).map { _ in rng.next() })
    for batch in [32, 64] {
        let x = (0..<(batch * L.inputDimension)).map { _ in rng.next() }, dy = (0..<(batch * L.outputDimension)).map { _ in rng.next() }
        let din = L.inputDimension, dout = L.outputDimension
#if THREADED
        let f1 = timeIt { sink += model.forward(batch: x, count: batch, threads: 1)[0] }
        let f2 = timeIt { sink += model.forward(batch: x, count: batch, threads: 2)[0] }
        let b1 = timeIt { sink += model.backward(batch: x, outputGradient: dy, count: batch, threads: 1).input[0] }
        let b2 = timeIt { sink += model.backward(batch: x, outputGradient: dy, count: batch, threads: 2).input[0] }
        let same = model.forward(batch: x, count: batch, threads: 1) == model.forward(batch: x, count: batch, threads: 2)
            && model.backward(batch: x, outputGradient: dy, count: batch, threads: 1).weights == model.backward(batch: x, outputGradient: dy, count: batch, threads: 2).weights
        let fc = criticalPath(forwardShares(count: batch, work: L._workPerSample).map { r in
            { sink += model.forward(batch: Array(x[r.lowerBound * din..<r.upperBound * din]), count: r.count, threads: 1)[0] } })
        let bc = criticalPath(backwardShares(L._gradientBlocks(count: batch), count: batch, work: L._workPerSample).map { r in
            { sink += model.backward(batch: Array(x[r.lowerBound * din..<r.upperBound * din]), outputGradient: Array(dy[r.lowerBound * dout..<r.upperBound * dout]), count: r.count, threads: 1).input[0] } })
        print("head\t$name\t\(batch)\tforward\t\(f1 * 1e6)\t\(f2 * 1e6)\t\(f1 / f2)\t\(fc)\t\(same)")
        print("head\t$name\t\(batch)\tbackward\t\(b1 * 1e6)\t\(b2 * 1e6)\t\(b1 / b2)\t\(bc)\t\(same)")
        print("check\thead\t$name\t\(batch)\t\(model.forward(batch: x, count: batch, threads: 1).reduce(0, +))")
#else
        _ = (din, dout)
        let f = timeIt { sink += model.forward(batch: x, count: batch)[0] }
        let b = timeIt { sink += model.backward(batch: x, outputGradient: dy, count: batch).input[0] }
        print("base\t$name\t\(batch)\tforward\t\(f * 1e6)")
        print("base\t$name\t\(batch)\tbackward\t\(b * 1e6)")
        print("check\tbase\t$name\t\(batch)\t\(model.forward(batch: x, count: batch).reduce(0, +))")
#endif
    }
}
SWIFT
done <<<"$cases"
echo 'if sink.isNaN { print("") }'
} > "$work/main.swift"
# BASE's runtime has no `_loopCount` (a later emitter prints it in closed-form panels): the base side
# compiles the files with the literal loop count, which is what BASE's emitter printed.
mkdir -p "$work/base-src"
for f in "$work/src"/*.swift; do sed -E 's/_loopCount\(([0-9]+), S\.self\)/\1/' "$f" > "$work/base-src/$(basename "$f")"; done
swiftc -O -swift-version 6 -I "$work/base/rt" -L "$work/base/rt" "$work/main.swift" "$work/base-src"/*.swift -lArchSynthRuntime -o "$work/base/bench"
swiftc -O -swift-version 6 -D THREADED -I "$work/head/rt" -L "$work/head/rt" "$work/main.swift" "$work/src"/*.swift -lArchSynthRuntime -o "$work/head/bench"

echo "# columns: base NAME BATCH PASS µs | head NAME BATCH PASS µs(1 thread) µs(2 threads) speedup(1→2) critical-path-estimate(2) same-bits"
for round in $(seq "$ROUNDS"); do
  for side in base head; do
    echo "# round $round $side loadavg $(cat /proc/loadavg)"
    "$work/$side/bench" | sed "s/^/$round\t/"
  done
done
echo "# end loadavg $(cat /proc/loadavg)"
