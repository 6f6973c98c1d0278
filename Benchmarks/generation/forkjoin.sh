#!/usr/bin/env bash
# The bare cost of one parallel loop (issue 23): µs per `RuntimeThreads.forEachChunk(2, threads: 2)`
# of two trivial chunks, the worker pool of this checkout against the Dispatch path it replaced
# (`DispatchQueue.concurrentPerform` with the same pthread-key marking, copied from main f6080f6's
# RuntimeThreads.swift), and one thread (`threads: 1`, no fork), in one program:
#   - back to back: the mean over ≥ 20 ms of calls, best of RUNS timings (the workers spin between
#     calls, so this is the pool's hot path);
#   - after idling: one call after sleeping 2 ms (the workers have parked), the median of 200 calls.
# The program runs ROUNDS times (each runs every case), with the load printed before each round.
#
#   Benchmarks/generation/forkjoin.sh > Benchmarks/generation/results/forkjoin-DATE.txt
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ROUNDS="${ROUNDS:-3}"
RUNS="${RUNS:-5}"
work="$(mktemp -d "${TMPDIR:-/tmp}/archsynth-forkjoin.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "# fork/join of 2 trivial chunks; head $(git -C "$root" rev-parse --short HEAD) + working tree"
echo "# $(swiftc --version 2>&1 | head -1); $(nproc) cores; rounds $ROUNDS; best of $RUNS timings; $(date -u +%FT%TZ); loadavg $(cat /proc/loadavg)"
mkdir -p "$work/rt"
swiftc -O -swift-version 6 -parse-as-library -module-name ArchSynthRuntime -emit-library -static -emit-module \
  -emit-module-path "$work/rt/ArchSynthRuntime.swiftmodule" -o "$work/rt/libArchSynthRuntime.a" \
  $(find "$root/Sources/ArchSynthRuntime" -name '*.swift' | sort)
cat > "$work/main.swift" <<SWIFT
import ArchSynthRuntime
import Dispatch
#if canImport(Glibc)
    import Glibc
#endif
func seconds() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
struct Box<V>: @unchecked Sendable { let value: V }
/// main f6080f6's RuntimeThreads.forEachChunk after its serial cases: concurrentPerform, each
/// chunk marking its thread with a pthread key.
let key: pthread_key_t = { var k = pthread_key_t(); pthread_key_create(&k, nil); return k }()
func dispatchForEachChunk(_ n: Int, threads t: Int, _ body: (Range<Int>) -> Void) {
    withoutActuallyEscaping(body) { body in
        let shared = Box(value: body)
        DispatchQueue.concurrentPerform(iterations: t) { chunk in
            let previous = pthread_getspecific(key)
            pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
            shared.value(chunk * n / t..<(chunk + 1) * n / t)
            pthread_setspecific(key, previous)
        }
    }
}
let slots = UnsafeMutablePointer<Int>.allocate(capacity: 2)
slots.initialize(repeating: 0, count: 2)
let cases: [(String, () -> Void)] = [
    ("pool", { RuntimeThreads.forEachChunk(2, threads: 2) { r in slots[r.lowerBound] &+= 1 } }),
    ("dispatch", { dispatchForEachChunk(2, threads: 2) { r in slots[r.lowerBound] &+= 1 } }),
    ("one-thread", { RuntimeThreads.forEachChunk(2, threads: 1) { r in for i in r { slots[i] &+= 1 } } }),
]
let round = CommandLine.arguments[1]
do {
    for (name, call) in cases {
        var best = Double.infinity
        for _ in 0..<$RUNS {
            var reps = 1
            while true {
                let t0 = seconds()
                for _ in 0..<reps { call() }
                let s = seconds() - t0
                if s > 0.02 { best = min(best, s / Double(reps)); break }
                reps *= 2
            }
        }
        var cold = [Double]()
        for _ in 0..<200 {
            usleep(2000)
            let t0 = seconds()
            call()
            cold.append(seconds() - t0)
        }
        cold.sort()
        print("\(round)\t\(name)\tback-to-back µs\t\(best * 1e6)\tafter 2 ms idle, median µs\t\(cold[100] * 1e6)")
    }
}
if slots[0] != slots[1] { print("chunks ran unevenly: \(slots[0]) \(slots[1])") }
SWIFT
swiftc -O -swift-version 6 -I "$work/rt" -L "$work/rt" "$work/main.swift" -lArchSynthRuntime -o "$work/bench"
echo "# columns: round case 'back-to-back µs' µs 'after 2 ms idle, median µs' µs"
for round in $(seq "$ROUNDS"); do
  echo "# round $round loadavg $(cat /proc/loadavg)"
  "$work/bench" "$round"
done
echo "# end loadavg $(cat /proc/loadavg)"
