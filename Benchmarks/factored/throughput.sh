#!/usr/bin/env bash
# Forward and parameter-refresh time of one layer generated twice from the same pair: the dense
# strategy (W = Σ θ_i B_i materialized on every parameter change) and the factored strategy
# (W = P_out (⊕ K_p) P_in). Float, batch of 64, best of 5 runs of 200 forward calls each, and of
# 5 runs of 20 parameter assignments (each refreshes the layer's coefficients). One swiftc -O
# program holds both layers. Usage: Benchmarks/factored/throughput.sh (after `swift build -c release`).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$PWD/.build/release/archsynth
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# factored vs dense layer; $(git rev-parse --short HEAD); $(date -u +%FT%TZ); $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg); $(swiftc --version 2>&1 | head -1)"
spec=dicyclic12; rin='quaternion^3'; rout='quaternion^3'
"$bin" generate layer "$spec" --in "$rin" --out "$rout" --strategy dense --name DenseLayer -o "$work/DenseLayer.swift" | sed 's/^/# /'
"$bin" generate layer "$spec" --in "$rin" --out "$rout" --strategy factored --name FactoredLayer -o "$work/FactoredLayer.swift" | sed 's/^/# /'
cat > "$work/main.swift" <<'SWIFT'
import Glibc
func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
func best(_ runs: Int, _ body: () -> Void) -> Double {
    var b = Double.infinity
    for _ in 0..<runs { let t0 = now(); body(); b = min(b, now() - t0) }
    return b
}
let batch = 64
var sink: Float = 0
@MainActor func measure<L>(_ name: String, _ make: (UInt64) -> L, forward: (L, [Float], Int) -> [Float], weightCount: Int, inputDimension: Int, assign: (inout L, [Float]) -> Void) {
    var layer = make(1)
    var state: UInt64 = 7
    func unit() -> Float { state = state &* 6364136223846793005 &+ 1442695040888963407; return Float(state >> 40) / Float(1 << 24) * 2 - 1 }
    let x = (0..<(batch * inputDimension)).map { _ in unit() }
    let f = best(5) { for _ in 0..<200 { sink += forward(layer, x, batch)[0] } } / 200
    let thetas = (0..<20).map { _ in (0..<weightCount).map { _ in unit() } }
    let r = best(5) { for t in thetas { assign(&layer, t) } ; sink += forward(layer, Array(x.prefix(inputDimension)), 1)[0] } / 20
    print("\(name)\tforward_batch64_us=\(Int((f * 1e6).rounded()))\trefresh_us=\(Int((r * 1e6).rounded()))")
}
measure("dense", { DenseLayer(seed: $0) }, forward: { $0.forward(batch: $1, count: $2) }, weightCount: DenseLayer.weightCount, inputDimension: DenseLayer.inputDimension, assign: { $0.weights = $1 })
measure("factored", { FactoredLayer(seed: $0) }, forward: { $0.forward(batch: $1, count: $2) }, weightCount: FactoredLayer.weightCount, inputDimension: FactoredLayer.inputDimension, assign: { $0.weights = $1 })
if sink.isNaN { print("nan") }
SWIFT
swiftc -O -swift-version 6 -o "$work/bench" "$work/main.swift" "$work/DenseLayer.swift" "$work/FactoredLayer.swift"
"$work/bench"
