#if canImport(Glibc)
    import Glibc
#endif

/// Doubly translation-equivariant coordinate attention (CARL, arXiv 2405.16738) on a periodic
/// grid, exact for integer shifts.
///
/// Inputs: the features F^A (of the moving image A) and F^B (of the fixed image B), each a
/// C-channel grid signal (channels outermost). For every point x of B's grid,
///
///     p_x(y) = softmax_y(⟨F^B(x), F^A(y)⟩ / τ)          (max-subtracted; the max looks at .primal)
///     z_a(x) = Σ_y p_x(y) · e^(2πi·y_a / N_a)               per axis a (rows, columns)
///
/// the circular mean's resultant: a point of the unit disk whose argument is the expected
/// coordinate Φ[A,B](x)_a = N_a/(2π) · arg z_a(x) (see `CircularCoordinate`). Φ[A,B] maps B's
/// grid into A's (A ∘ Φ ≈ B: A moves, B is fixed).
///
/// Output layout (4n values, n = H·W): Re z_row, Im z_row, Re z_col, Im z_col, each over the
/// grid points (row-major). No parameters (τ is fixed).
///
/// Law [W,U]: translating A by W and B by U independently (A∘W with W(y) = y + w) gives
/// Φ[A∘W, B∘U] = W⁻¹∘Φ[A,B]∘U, i.e. Φ'(x) = Φ(x + u) − w (mod the grid); on the resultants
/// z'_a(x) = e^(−2πi·w_a/N_a) · z_a(x + u). Exact (up to rounding) because the features of a
/// translated image are the translated features and the circular mean commutes with shifts;
/// CARL's zero-padded version is only approximate at borders. `wuLaw` states it for the
/// resultants, `wuCoordinateLaw` for the coordinates (circular distance).
public struct CoordinateAttention: ParameterFreeNode {
    /// The periodic grid both feature maps live on (n = `grid.count` points).
    public let grid: PeriodicGrid
    /// C, the feature channels of F^A and F^B.
    public let channels: Int
    /// τ > 0: the logits ⟨F^B(x), F^A(y)⟩ are divided by it.
    public let temperature: Double

    /// [F^A, F^B]: C·n values each, channels outermost.
    public var inputSizes: [Int] { [channels * grid.count, channels * grid.count] }
    /// 4n: Re z_row, Im z_row, Re z_col, Im z_col.
    public var outputSize: Int { 4 * grid.count }

    /// Attention on `grid` over C = `channels` features with temperature τ (traps unless C ≥ 1 and τ > 0).
    public init(grid: PeriodicGrid, channels: Int, temperature: Double = 1) {
        precondition(channels >= 1 && temperature > 0, "CoordinateAttention: \(channels) channels, τ = \(temperature)")
        self.grid = grid
        self.channels = channels
        self.temperature = temperature
    }

    /// (cos, sin) of 2π·row/H and 2π·column/W for every grid point.
    static func phases(_ grid: PeriodicGrid) -> (rowCos: [Double], rowSin: [Double], colCos: [Double], colSin: [Double]) {
        let n = grid.count
        var rc = [Double](repeating: 0, count: n), rs = rc, cc = rc, cs = rc
        for p in 0..<n {
            let (i, j) = (p / grid.width, p % grid.width)
            let a = 2 * Double.pi * Double(i) / Double(grid.height), b = 2 * Double.pi * Double(j) / Double(grid.width)
            (rc[p], rs[p], cc[p], cs[p]) = (Glibc.cos(a), Glibc.sin(a), Glibc.cos(b), Glibc.sin(b))
        }
        return (rc, rs, cc, cs)
    }

    /// The max-subtracted softmax over y for every x and the resultants z; the pullback (softmax
    /// Jacobian, then the logits' bilinear form) gives the gradients of F^A and F^B. Float runs the
    /// vectorized body of `CoordinateAttention+Float.swift`; Double and dual numbers the body below.
    /// - Complexity: O(C · n²) time forward and backward; O(n²) memory for the kept probabilities.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "CoordinateAttention")
        if let fast = floatFastPath(parameters, inputs, floatValueWithPullback) { return fast }
        let fa = inputs[0], fb = inputs[1], n = grid.count, cCount = channels
        let invTau = T(1 / temperature)
        let ph = Self.phases(grid)
        // The four phase tables as one n × 4 buffer (rc, rs, cc, cs per point), read as a pointer.
        var phaseTable = [T](repeating: T.zero, count: 4 * n)
        for y in 0..<n {
            (phaseTable[4 * y], phaseTable[4 * y + 1]) = (T(ph.rowCos[y]), T(ph.rowSin[y]))
            (phaseTable[4 * y + 2], phaseTable[4 * y + 3]) = (T(ph.colCos[y]), T(ph.colSin[y]))
        }
        let phases = phaseTable
        // Hot loops run over raw buffers with the grid index innermost (contiguous in every
        // channel plane): logits_x = Σ_c F^B_c(x) · F^A_c(·) as C axpys of length n.
        var prob = [T](repeating: T.zero, count: n * n)
        var z = [T](repeating: T.zero, count: 4 * n)
        fa.withUnsafeBufferPointer { fa in
            fb.withUnsafeBufferPointer { fb in
                prob.withUnsafeMutableBufferPointer { prob in
                    z.withUnsafeMutableBufferPointer { z in
                        for x in 0..<n {
                            let row = UnsafeMutableBufferPointer(rebasing: prob[(x * n)..<((x + 1) * n)])
                            for y in 0..<n { row[y] = T.zero }
                            for c in 0..<cCount {
                                let w = fb[c * n + x] * invTau
                                let plane = c * n
                                for y in 0..<n { row[y] += w * fa[plane + y] }
                            }
                            var m = -Double.infinity, mi = 0
                            for y in 0..<n where row[y].primal > m { m = row[y].primal; mi = y }
                            let shift = row[mi]
                            var total = T.zero
                            for y in 0..<n {
                                let e = T.exp(row[y] - shift)
                                row[y] = e
                                total += e
                            }
                            let inv = T(1) / total
                            var a = T.zero, b = T.zero, c2 = T.zero, d = T.zero
                            phases.withUnsafeBufferPointer { q in
                                for y in 0..<n {
                                    let p = row[y] * inv
                                    row[y] = p
                                    a += p * q[4 * y]
                                    b += p * q[4 * y + 1]
                                    c2 += p * q[4 * y + 2]
                                    d += p * q[4 * y + 3]
                                }
                            }
                            (z[x], z[n + x], z[2 * n + x], z[3 * n + x]) = (a, b, c2, d)
                        }
                    }
                }
            }
        }
        let probabilities = prob
        return (z, { dz in
            var dfa = [T](repeating: T.zero, count: cCount * n), dfb = dfa
            var dl = [T](repeating: T.zero, count: n)
            phases.withUnsafeBufferPointer { q in
            probabilities.withUnsafeBufferPointer { prob in
                fa.withUnsafeBufferPointer { fa in
                    fb.withUnsafeBufferPointer { fb in
                        dfa.withUnsafeMutableBufferPointer { dfa in
                            dfb.withUnsafeMutableBufferPointer { dfb in
                                dl.withUnsafeMutableBufferPointer { dl in
                                    for x in 0..<n {
                                        let (g0, g1, g2, g3) = (dz[x], dz[n + x], dz[2 * n + x], dz[3 * n + x])
                                        let p = prob.baseAddress! + x * n
                                        var mean = T.zero
                                        for y in 0..<n {
                                            let dp = g0 * q[4 * y] + g1 * q[4 * y + 1] + g2 * q[4 * y + 2] + g3 * q[4 * y + 3]
                                            dl[y] = dp
                                            mean += p[y] * dp
                                        }
                                        for y in 0..<n { dl[y] = p[y] * (dl[y] - mean) * invTau }
                                        for c in 0..<cCount {
                                            // Four partial sums, so the reduction does not serialize the loop.
                                            var s0 = T.zero, s1 = T.zero, s2 = T.zero, s3 = T.zero
                                            let fbx = fb[c * n + x], plane = c * n
                                            var y = 0
                                            while y + 4 <= n {
                                                s0 += dl[y] * fa[plane + y]
                                                s1 += dl[y + 1] * fa[plane + y + 1]
                                                s2 += dl[y + 2] * fa[plane + y + 2]
                                                s3 += dl[y + 3] * fa[plane + y + 3]
                                                dfa[plane + y] += dl[y] * fbx
                                                dfa[plane + y + 1] += dl[y + 1] * fbx
                                                dfa[plane + y + 2] += dl[y + 2] * fbx
                                                dfa[plane + y + 3] += dl[y + 3] * fbx
                                                y += 4
                                            }
                                            while y < n {
                                                s0 += dl[y] * fa[plane + y]
                                                dfa[plane + y] += dl[y] * fbx
                                                y += 1
                                            }
                                            dfb[plane + x] += (s0 + s1) + (s2 + s3)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            }
            return NodeGradient(parameters: [], inputs: [dfa, dfb])
        })
    }

    /// The resultants z'(x) = e^(−2πi·w/N) z(x + u) for the translation pair (w, u) (numbers
    /// t = a·width + b): what the output becomes when A moves by w and B by u.
    public static func transformResultants(_ z: [Double], grid: PeriodicGrid, w: Int, u: Int) -> [Double] {
        let n = grid.count
        let (wa, wb) = grid.translation(w), (ua, ub) = grid.translation(u)
        let ta = -2 * Double.pi * Double(wa) / Double(grid.height), tb = -2 * Double.pi * Double(wb) / Double(grid.width)
        let (ca, sa, cb, sb) = (Glibc.cos(ta), Glibc.sin(ta), Glibc.cos(tb), Glibc.sin(tb))
        var out = [Double](repeating: 0, count: 4 * n)
        for x in 0..<n {
            let q = grid.shifted(x, by: ua, ub)
            let (re, im, re2, im2) = (z[q], z[n + q], z[2 * n + q], z[3 * n + q])
            out[x] = ca * re - sa * im
            out[n + x] = sa * re + ca * im
            out[2 * n + x] = cb * re2 - sb * im2
            out[3 * n + x] = sb * re2 + cb * im2
        }
        return out
    }

    /// Φ'(x) = Φ(x + u) − w on a coordinate field (2n values: rows, then columns).
    public static func transformCoordinates(_ phi: [Double], grid: PeriodicGrid, w: Int, u: Int) -> [Double] {
        let n = grid.count
        let (wa, wb) = grid.translation(w), (ua, ub) = grid.translation(u)
        var out = [Double](repeating: 0, count: 2 * n)
        for x in 0..<n {
            let q = grid.shifted(x, by: ua, ub)
            out[x] = phi[q] - Double(wa)
            out[n + x] = phi[n + q] - Double(wb)
        }
        return out
    }

    /// max |a − b| (the resultants lie in the unit disk, so an absolute distance is the natural
    /// one; it stays meaningful where the circular mean is undefined, e.g. constant images).
    @Sendable public static func maxAbsoluteDifference(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        var worst = 0.0
        for i in a.indices {
            let d = abs(a[i] - b[i])
            if !(d <= worst) { worst = d.isNaN ? .infinity : d }
        }
        return worst
    }

    /// max over points and axes of the circular difference |a − b| mod N_a, in grid units.
    public static func circularDistance(grid: PeriodicGrid) -> @Sendable ([Double], [Double]) -> Double {
        { a, b in
            let n = grid.count
            guard a.count == 2 * n, b.count == 2 * n else { return .infinity }
            var worst = 0.0
            for i in 0..<(2 * n) {
                let size = Double(i < n ? grid.height : grid.width)
                var d = (a[i] - b[i]).truncatingRemainder(dividingBy: size)
                if d < 0 { d += size }
                d = min(d, size - d)
                if !(d <= worst) { worst = d.isNaN ? .infinity : d }
            }
            return worst
        }
    }

    /// The largest circular difference, in grid units, between the coordinates two resultant
    /// fields (4n values, as `CoordinateAttention` outputs) define, over the points and axes where
    /// both circular means are defined (resultant length at least `definedAbove`; below it the
    /// angle is rounding noise and only `maxAbsoluteDifference` on the resultants means anything).
    /// A small resultant error can be a large coordinate error: this measures the coordinates.
    public static func coordinateDistance(grid: PeriodicGrid, definedAbove floor: Double = 1e-4) -> @Sendable ([Double], [Double]) -> Double {
        { a, b in
            let n = grid.count
            guard a.count == 4 * n, b.count == 4 * n else { return .infinity }
            var worst = 0.0
            for axis in 0..<2 {
                let size = Double(axis == 0 ? grid.height : grid.width)
                for x in 0..<n {
                    let (ra, ia) = (a[2 * axis * n + x], a[(2 * axis + 1) * n + x])
                    let (rb, ib) = (b[2 * axis * n + x], b[(2 * axis + 1) * n + x])
                    let la = (ra * ra + ia * ia).squareRoot(), lb = (rb * rb + ib * ib).squareRoot()
                    if la.isNaN || lb.isNaN { return .infinity }
                    guard la >= floor, lb >= floor else { continue }
                    // The angle between the two resultants, in (−π, π], in grid units.
                    let angle = Glibc.atan2(ia * rb - ra * ib, ra * rb + ia * ib)
                    let d = abs(angle) * size / (2 * Double.pi)
                    if !(d <= worst) { worst = d.isNaN ? .infinity : d }
                }
            }
            return worst
        }
    }

    /// The pairs (w, u) the laws use: all (H·W)² when that is at most `completeLimit`,
    /// otherwise the generator pairs plus seeded random ones.
    static func pairs(_ grid: PeriodicGrid, completeLimit: Int, samples: Int) -> (pairs: [(Int, Int)], complete: Bool) {
        let n = grid.count
        if n * n <= completeLimit { return ((0..<(n * n)).map { ($0 % n, $0 / n) }, true) }
        var list: [(Int, Int)] = [(0, 0), (1, 0), (0, 1), (grid.width % n, 0), (0, grid.width % n)]
        var rng = RuntimeRandom(seed: 0xC0A7)
        while list.count < samples { list.append((rng.index(n), rng.index(n))) }
        return (list, false)
    }

    /// [W,U] on a map (A, B) ↦ resultants, where A and B are `inputChannels`-channel signals
    /// (images, or features): element (w, u) acts by A ∘ T_w, B ∘ T_u and on the output by
    /// `transformResultants`. Distance: max absolute difference.
    public static func wuLaw(grid: PeriodicGrid, inputChannels: Int, completeLimit: Int = 4096, samples: Int = 64) -> Law {
        translationPairLaw(
            grid: grid, completeLimit: completeLimit, samples: samples, measured: "resultants",
            transform: { z, w, u in transformResultants(z, grid: grid, w: w, u: u) }, distance: maxAbsoluteDifference)
    }

    /// `wuLaw` measured in coordinates: the same actions on (A, B) and on the resultants, the
    /// distance `coordinateDistance` (grid units, where the circular means are defined).
    public static func wuLawInCoordinates(grid: PeriodicGrid, inputChannels: Int, completeLimit: Int = 4096, samples: Int = 64) -> Law {
        translationPairLaw(
            grid: grid, completeLimit: completeLimit, samples: samples, measured: "coordinates, grid units",
            transform: { z, w, u in transformResultants(z, grid: grid, w: w, u: u) }, distance: coordinateDistance(grid: grid))
    }

    /// [W,U] on a map (A, B) ↦ coordinate field Φ (2n values: rows then columns, grid units):
    /// Φ[A∘W, B∘U] = W⁻¹∘Φ[A,B]∘U, distance = the largest circular difference in grid units.
    /// (Where the circular mean is undefined, e.g. constant images, no map can obey it.)
    public static func wuCoordinateLaw(grid: PeriodicGrid, inputChannels: Int, completeLimit: Int = 4096, samples: Int = 64) -> Law {
        translationPairLaw(
            grid: grid, completeLimit: completeLimit, samples: samples, measured: "coordinates",
            transform: { phi, w, u in transformCoordinates(phi, grid: grid, w: w, u: u) }, distance: circularDistance(grid: grid))
    }

    /// [W,U] over the pairs (w, u) of `pairs`: element (w, u) acts on (A, B) by A ∘ T_w, B ∘ T_u
    /// and on the output by `transform(output, w, u)`; `measured` ends the law's name.
    static func translationPairLaw(
        grid: PeriodicGrid, completeLimit: Int, samples: Int, measured: String,
        transform: @escaping @Sendable ([Double], Int, Int) -> [Double], distance: @escaping @Sendable ([Double], [Double]) -> Double
    ) -> Law {
        let (list, complete) = pairs(grid, completeLimit: completeLimit, samples: samples)
        return Law(
            name: "[W,U] independent translations of A and B on the \(grid.height)×\(grid.width) periodic grid (\(measured))",
            elementCount: list.count, isComplete: complete,
            describe: { e in "(w \(grid.translation(list[e].0)), u \(grid.translation(list[e].1)))" },
            actOnInputs: { e, x in
                let (w, u) = list[e], (wa, wb) = grid.translation(w), (ua, ub) = grid.translation(u)
                return [grid.translate(x[0], by: wa, wb), grid.translate(x[1], by: ua, ub)]
            },
            actOnOutput: { e, y in transform(y, list[e].0, list[e].1) },
            distance: distance)
    }
}

/// Resultants → coordinates: Φ_a(x) = N_a/(2π) · atan2(Im z_a(x), Re z_a(x)) ∈ (−N_a/2, N_a/2]
/// in grid units (input: the 4n values of `CoordinateAttention`; output: 2n values, rows then
/// columns). Law: a rotation of z_a by e^(−2πi·w_a/N_a) shifts Φ_a by −w_a (mod N_a).
/// The derivative is (Re·dIm − Im·dRe)/|z|², unbounded as |z| → 0 (undefined mean).
public struct CircularCoordinate: ParameterFreeNode, GridPlanesNode, ScalarSpecializedNode {
    /// The periodic grid (N_row = H, N_col = W; n = `grid.count`).
    public let grid: PeriodicGrid
    /// In, z: the 4 resultant planes of `CoordinateAttention`'s layout; out: Φ_row, then Φ_col, grid units.
    public static let planes = (input: 4, output: 2)

    /// Circular coordinates of resultants on `grid`.
    public init(grid: PeriodicGrid) { self.grid = grid }

    /// N_a/(2π) · atan2(Im, Re) per point and axis; the pullback is (Re·dIm − Im·dRe)/|z|² scaled by N_a/(2π).
    /// - Complexity: O(n) forward and backward.
    public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let z = inputs[0], n = grid.count
        let scaleRow = T(Double(grid.height) / (2 * Double.pi)), scaleCol = T(Double(grid.width) / (2 * Double.pi))
        var y = [T](repeating: T.zero, count: 2 * n)
        for x in 0..<n {
            y[x] = scaleRow * T.atan2(z[n + x], z[x])
            y[n + x] = scaleCol * T.atan2(z[3 * n + x], z[2 * n + x])
        }
        return (y, { dy in
            var dz = [T](repeating: T.zero, count: 4 * n)
            for x in 0..<n {
                for (axis, s) in [(0, scaleRow), (1, scaleCol)] {
                    let re = z[2 * axis * n + x], im = z[(2 * axis + 1) * n + x]
                    let r2 = re * re + im * im
                    let g = dy[axis * n + x] * s / r2
                    dz[2 * axis * n + x] = -im * g
                    dz[(2 * axis + 1) * n + x] = re * g
                }
            }
            return NodeGradient(parameters: [], inputs: [dz])
        })
    }

    /// Φ from resultants in Double (no pullback).
    public static func coordinates(_ z: [Double], grid: PeriodicGrid) -> [Double] {
        CircularCoordinate(grid: grid).forward([Double](), [z])
    }
}

/// A displacement field bounded by half the grid per axis: d ↦ L_a·tanh(d/L_a) with L_a = N_a/2
/// (2n values, rows then columns; ≈ d for |d| ≪ L_a, smooth, odd). A displacement beyond half
/// a periodic grid means nothing more, and an unbounded one carries its inputs' rounding in
/// proportion to its size: a refinement network's d ≈ 1e8 on inputs of scale 1e8 differed by
/// ε·|d| ≈ 1e-8 grid units between translated inputs, so TwoStep's [W,U] law failed by 3e-7
/// (issue 18); wrapping d into [−N/2, N/2) keeps that error. Bounded, the error is at most
/// ≈ 0.45·L_a·ε at every scale. Law: pointwise, so it commutes with every translation.
///
/// ```swift
/// BoundedDisplacement(grid: PeriodicGrid(height: 8, width: 8)).forward([Double](), [d])
/// ```
public struct BoundedDisplacement: ParameterFreeNode, GridPlanesNode, ScalarSpecializedNode {
    /// The periodic grid (L_row = H/2, L_col = W/2; n = `grid.count`).
    public let grid: PeriodicGrid
    /// In, d: rows plane then columns plane, grid units; out: the bounded displacement, same layout.
    public static let planes = (input: 2, output: 2)

    /// The bound L_a·tanh(d/L_a) for displacements on `grid`.
    public init(grid: PeriodicGrid) { self.grid = grid }

    /// L_a·tanh(d/L_a) per value; the pullback multiplies ȳ by 1 − tanh²(d/L_a).
    /// - Complexity: O(n) forward and backward.
    public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let n = grid.count, d = inputs[0]
        let bounds = [T(Double(grid.height) / 2), T(Double(grid.width) / 2)]
        var t = [T](repeating: T.zero, count: 2 * n), y = t
        for i in 0..<(2 * n) {
            let l = bounds[i / n]
            t[i] = T.tanh(d[i] / l)
            y[i] = l * t[i]
        }
        let squashed = t
        return (y, { dy in
            var dd = [T](repeating: T.zero, count: 2 * n)
            for i in 0..<(2 * n) { dd[i] = dy[i] * (T(1) - squashed[i] * squashed[i]) }
            return NodeGradient(parameters: [], inputs: [dd])
        })
    }
}
