import ArchSynthRuntime
import XCTest

/// The blocked, vectorized periodic convolution against the definition, written here point by
/// point: y[o, g] = b[o] + Σ_c Σ_(s,t) W[o, c, s, t] · x[c, g − d] summed in the order c, s, t,
/// and x̄[c, g] = Σ_o Σ_(s,t) W[o, c, s, t] · ȳ[o, g + d] in the order o, s, t. Forward values and
/// input gradients must match bit for bit on every path (Double and Float vectors with their
/// scalar tails, the generic path on dual numbers), weight gradients to rounding.
final class ConvolutionKernelTests: XCTestCase {
    struct Shape { let h, w, cin, cout, kh, kw: Int }

    static func reference<T: RuntimeScalar>(_ x: [T], _ wts: [T], _ b: [T], _ dy: [T], _ s: Shape) -> (y: [T], dx: [T], dw: [T]) {
        let n = s.h * s.w, k = s.kh * s.kw
        func at(_ i: Int, _ j: Int) -> Int { ((i % s.h + s.h) % s.h) * s.w + (j % s.w + s.w) % s.w }
        var y = [T](repeating: T.zero, count: s.cout * n), dx = [T](repeating: T.zero, count: s.cin * n)
        var dw = [T](repeating: T.zero, count: s.cout * s.cin * k)
        for o in 0..<s.cout {
            for i in 0..<s.h {
                for j in 0..<s.w {
                    var acc = b[o]
                    for c in 0..<s.cin {
                        for a in 0..<s.kh {
                            for t in 0..<s.kw { acc += wts[(o * s.cin + c) * k + a * s.kw + t] * x[c * n + at(i - (a - s.kh / 2), j - (t - s.kw / 2))] }
                        }
                    }
                    y[o * n + i * s.w + j] = acc
                }
            }
        }
        for c in 0..<s.cin {
            for i in 0..<s.h {
                for j in 0..<s.w {
                    var acc = T.zero
                    for o in 0..<s.cout {
                        for a in 0..<s.kh {
                            for t in 0..<s.kw { acc += wts[(o * s.cin + c) * k + a * s.kw + t] * dy[o * n + at(i + (a - s.kh / 2), j + (t - s.kw / 2))] }
                        }
                    }
                    dx[c * n + i * s.w + j] = acc
                }
            }
        }
        for o in 0..<s.cout {
            for c in 0..<s.cin {
                for a in 0..<s.kh {
                    for t in 0..<s.kw {
                        var acc = T.zero
                        for g in 0..<n { acc += dy[o * n + g] * x[c * n + at(g / s.w - (a - s.kh / 2), g % s.w - (t - s.kw / 2))] }
                        dw[(o * s.cin + c) * k + a * s.kw + t] = acc
                    }
                }
            }
        }
        return (y, dx, dw)
    }

    func check<T: RuntimeScalar>(_ type: T.Type, _ s: Shape, bits: ([T]) -> [UInt64], tolerance: Double) {
        var rng = RuntimeRandom(seed: UInt64(s.h * 31 + s.w * 7 + s.kh))
        let n = s.h * s.w
        let x = rng.normals(s.cin * n).map(T.init), wts = rng.normals(s.cout * s.cin * s.kh * s.kw).map(T.init)
        let b = rng.normals(s.cout).map(T.init), dy = rng.normals(s.cout * n).map(T.init)
        let ref = Self.reference(x, wts, b, dy, s)
        let name = "\(T.self) \(s)"
        for threads in [1, 2] {
            RuntimeThreads.count = threads
            defer { RuntimeThreads.count = 0 }
            let y = PeriodicConvolutionKernel.forward(
                x: x, weights: wts, bias: b, height: s.h, width: s.w, inputChannels: s.cin, outputChannels: s.cout, stencilHeight: s.kh, stencilWidth: s.kw)
            let g = PeriodicConvolutionKernel.pullback(
                dy: dy, x: x, weights: wts, hasBias: true, height: s.h, width: s.w, inputChannels: s.cin, outputChannels: s.cout, stencilHeight: s.kh, stencilWidth: s.kw)
            XCTAssertEqual(bits(y), bits(ref.y), "\(name): forward, \(threads) threads")
            XCTAssertEqual(bits(g.input), bits(ref.dx), "\(name): input gradient, \(threads) threads")
            for k in ref.dw.indices {
                XCTAssertEqual(g.weights[k].primal, ref.dw[k].primal, accuracy: tolerance * (1 + abs(ref.dw[k].primal)), "\(name): weight gradient \(k)")
            }
            for o in 0..<s.cout {
                var sum = T.zero
                for q in 0..<n { sum += dy[o * n + q] }
                XCTAssertEqual(g.bias?[o].primal, sum.primal, "\(name): bias gradient \(o)")
            }
        }
    }

    func testBlockedKernelMatchesTheDefinition() {
        // Widths below, at and above the vector widths (8 Double, 16 Float), with scalar tails;
        // stencils 1×1 to the whole grid.
        let shapes = [
            Shape(h: 5, w: 7, cin: 2, cout: 3, kh: 3, kw: 3), Shape(h: 4, w: 16, cin: 3, cout: 2, kh: 3, kw: 5),
            Shape(h: 3, w: 19, cin: 1, cout: 2, kh: 1, kw: 3), Shape(h: 6, w: 6, cin: 2, cout: 2, kh: 6, kw: 6),
            Shape(h: 3, w: 35, cin: 2, cout: 1, kh: 3, kw: 1),
        ]
        for s in shapes {
            check(Double.self, s, bits: { $0.map(\.bitPattern) }, tolerance: 1e-12)
            check(Float.self, s, bits: { $0.map { UInt64($0.bitPattern) } }, tolerance: 1e-4)
            check(Dual<Double>.self, s, bits: { $0.flatMap { [$0.value.bitPattern, $0.tangent.bitPattern] } }, tolerance: 1e-12)
        }
    }
}
