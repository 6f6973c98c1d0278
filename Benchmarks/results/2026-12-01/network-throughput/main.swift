import Glibc
func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
let net = MaxNetwork(seed: 1)
let count = 64
let x = (0..<count * MaxNetwork.inputDimension).map { Float(($0 * 37 % 101)) / 50 - 1 }
var sink: Float = 0
var best = Double.infinity, bestB = Double.infinity
for _ in 0..<5 {
    let t0 = now()
    for _ in 0..<2000 { sink += net.forward(batch: x, count: count)[0] }
    best = min(best, (now() - t0) / 2000)
    let dy = [Float](repeating: 1, count: count)
    let t1 = now()
    for _ in 0..<500 { sink += net.backward(batch: x, outputGradient: dy, count: count).weights[0] }
    bestB = min(bestB, (now() - t1) / 500)
}
print("forward µs/batch64: \(best * 1e6)  backward µs/batch64: \(bestB * 1e6)  (\(sink))")
