/// A law: an action of a group on a map's inputs and a matching action on its output, so the
/// map obeys it when f(g·x) = g⋆f(x) for every element g. The actions need not be linear:
/// a linear representation on each input and output, swapping two inputs, inverting an output
/// transform, composing an output map with translations on either side.
///
/// Elements are numbered 0 ..< `elementCount`; `isComplete` says whether they are the whole
/// group (otherwise generators plus random elements).
///
/// ```swift
/// let law = Law.swap(output: .negate)            // v(B, A) = −v(A, B)
/// let report = law.check(inputSizes: [4, 4]) { x in net.forward(θ, x) }
/// ```
public struct Law: Sendable {
    /// A short name for reports ("S5 on natural", "[W,U]").
    public let name: String
    /// How many elements are checked (numbered 0 ..< elementCount).
    public let elementCount: Int
    /// True when the elements are the whole group, not generators plus random elements.
    public let isComplete: Bool
    /// A readable name of element e, for the report's worst case.
    public let describe: @Sendable (Int) -> String
    /// g·x: element e acting on every input.
    public let actOnInputs: @Sendable (Int, [[Double]]) -> [[Double]]
    /// g⋆y: element e acting on the output.
    public let actOnOutput: @Sendable (Int, [Double]) -> [Double]
    /// How far the two sides are apart (default: ‖a − b‖ / max(‖a‖, ‖b‖), floored in `check`).
    public let distance: @Sendable ([Double], [Double]) -> Double
    /// Whether `distance` is the default relative error. `check` then divides by at least the
    /// map's gain times the input's norm (see `check`), so an output that vanishes by
    /// cancellation (a constant input to a layer whose output has no invariant vector: its
    /// Float64 result is rounding noise of size ε·‖W‖‖x‖) is not compared with itself.
    public let isRelative: Bool
    /// When set (laws from `Law.generated` that enumerate the whole group), the elements as a
    /// tree of generator steps: checks walk it applying one generator action per element
    /// instead of acting by every element from scratch. Same results as `actOnInputs`.
    public let tree: ElementTree?

    /// A law from its actions; `distance` defaults to the relative error, and `tree` lets
    /// checks walk a complete group one generator action per element.
    public init(
        name: String, elementCount: Int, isComplete: Bool, describe: @escaping @Sendable (Int) -> String = { "element \($0)" },
        actOnInputs: @escaping @Sendable (Int, [[Double]]) -> [[Double]], actOnOutput: @escaping @Sendable (Int, [Double]) -> [Double],
        distance: (@Sendable ([Double], [Double]) -> Double)? = nil, tree: ElementTree? = nil
    ) {
        self.name = name
        self.elementCount = elementCount
        self.isComplete = isComplete
        self.describe = describe
        self.actOnInputs = actOnInputs
        self.actOnOutput = actOnOutput
        self.distance = distance ?? Law.relativeError
        self.isRelative = distance == nil
        self.tree = tree
    }

    /// ‖a − b‖ / max(‖a‖, ‖b‖), 0 when both vanish; NaN or a size mismatch is infinite.
    @Sendable public static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        relativeError(a, b, floor: 0)
    }

    /// ‖a − b‖ / max(‖a‖, ‖b‖, floor), 0 when all three vanish; NaN or a size mismatch is infinite.
    public static func relativeError(_ a: [Double], _ b: [Double], floor: Double) -> Double {
        guard a.count == b.count else { return .infinity }
        var diff = 0.0, na = 0.0, nb = 0.0
        for i in a.indices {
            diff += (a[i] - b[i]) * (a[i] - b[i])
            na += a[i] * a[i]
            nb += b[i] * b[i]
        }
        if diff.isNaN { return .infinity }
        let scale = max(na, nb, floor.isFinite ? floor * floor : 0)
        return scale > 0 ? (diff / scale).squareRoot() : 0
    }

    /// The Euclidean norm.
    public static func norm(_ v: [Double]) -> Double {
        var s = 0.0
        for x in v { s += x * x }
        return s.squareRoot()
    }

    /// Linear actions given element by element: `inputs[k][g]` acts on input k, `output[g]` on
    /// the output.
    public static func linear(name: String, inputs: [[LinearAction]], output: [LinearAction], isComplete: Bool) -> Law {
        let count = output.count
        precondition(inputs.allSatisfy { $0.count == count }, "Law.linear: every input needs one action per element")
        return Law(
            name: name, elementCount: count, isComplete: isComplete,
            actOnInputs: { g, x in x.indices.map { inputs[$0][g].apply(x[$0]) } },
            actOnOutput: { g, y in output[g].apply(y) })
    }

    /// What swapping two inputs does to the output.
    public enum SwapOutput: Sendable {
        /// f(B, A) = f(A, B): invariance.
        case invariant
        /// f(B, A) = −f(A, B): the sign representation (a Lie-algebra element, a velocity field).
        case negate
        /// f(B, A) = f(A, B)⁻¹ for an n×n matrix output (row-major).
        case inverseMatrix(Int)
    }

    /// C₂ acting by swapping inputs `first` and `second` and on the output as `output` says.
    public static func swap(first: Int = 0, second: Int = 1, output: SwapOutput) -> Law {
        Law(
            name: "swap of inputs \(first) and \(second)", elementCount: 2, isComplete: true,
            describe: { $0 == 0 ? "identity" : "swap" },
            actOnInputs: { g, x in
                guard g == 1 else { return x }
                var y = x
                y.swapAt(first, second)
                return y
            },
            actOnOutput: { g, y in
                guard g == 1 else { return y }
                switch output {
                case .invariant: return y
                case .negate: return y.map { -$0 }
                case let .inverseMatrix(n): return DenseMatrix.inverse(y, n) ?? [Double](repeating: .nan, count: y.count)
                }
            })
    }

    /// G₁ × G₂ for two laws that act on different things (e.g. G₁ on input A, G₂ on input B,
    /// each on its own factor of the output): element (a, b) = a·b, numbered a + |G₁|·b.
    public static func product(_ a: Law, _ b: Law) -> Law {
        let na = a.elementCount
        return Law(
            name: "\(a.name) × \(b.name)", elementCount: na * b.elementCount, isComplete: a.isComplete && b.isComplete,
            describe: { "(\(a.describe($0 % na)), \(b.describe($0 / na)))" },
            actOnInputs: { g, x in b.actOnInputs(g / na, a.actOnInputs(g % na, x)) },
            actOnOutput: { g, y in b.actOnOutput(g / na, a.actOnOutput(g % na, y)) },
            distance: a.isRelative ? nil : a.distance)
    }

    /// The largest distance between f(g·x) and g⋆f(x) over every element g at one input x, and
    /// the element where it occurs (NaN counts as infinite).
    public func worstError(at x: [[Double]], _ f: ([[Double]]) -> [Double]) -> (error: Double, element: Int) {
        withoutActuallyEscaping(f) { f in worstErrors(at: x, [f])[0] }
    }

    /// `worstError` for several maps at once (e.g. one model's Float and Double forward passes):
    /// each element's action is computed once and shared by all maps.
    ///
    /// - Parameters:
    ///   - gains: for a relative law, each map's gain ‖f(x)‖ / ‖x‖ on generic inputs (`check`
    ///     measures it): the error at g·x is then ‖a − b‖ / max(‖a‖, ‖b‖, floor) with floor =
    ///     gain · min(‖g·x‖, normCap). The cap (the generic inputs' norm) keeps the floor from
    ///     outgrowing a map that saturates on large inputs (tanh), where ‖f(x)‖ stays near 1
    ///     while ‖x‖ grows.
    ///   - scaleGains: each map's gain measured on a generic input of x's norm; the floor is at
    ///     least scaleGain · ‖g·x‖, which grows with the input for a linear map (whose rounding
    ///     noise does: a cancelling output on tied inputs of scale 1e6 is ε·‖W‖·1e6) and not
    ///     for a saturating one.
    public func worstErrors(
        at x: [[Double]], _ maps: [([[Double]]) -> [Double]], gains: [Double]? = nil, normCap: Double = .infinity,
        scaleGains: [Double]? = nil
    ) -> [(error: Double, element: Int)] {
        let fx = maps.map { $0(x) }
        var worst = [(error: Double, element: Int)](repeating: (0, 0), count: maps.count)
        func visit(_ g: Int, _ gx: [[Double]], _ gfx: [[Double]]) {
            let norm = gains == nil && scaleGains == nil ? 0 : Law.norm(gx.flatMap { $0 })
            for m in maps.indices {
                let floor = Swift.max((gains?[m] ?? 0) * Swift.min(norm, normCap), (scaleGains?[m] ?? 0) * norm)
                let e = gains == nil && scaleGains == nil ? distance(maps[m](gx), gfx[m]) : Law.relativeError(maps[m](gx), gfx[m], floor: floor)
                if !(e <= worst[m].error) { worst[m] = (e.isNaN ? .infinity : e, g) }
            }
        }
        if let tree {
            // Depth-first over the tree: a child's images are one generator action away from its
            // parent's, computed when the child is visited (siblings share the parent's arrays, so
            // the stack holds O(depth) images, not O(depth × branching)).
            visit(0, x, fx)
            var stack: [(element: Int, x: [[Double]], y: [[Double]])] = tree.children[0].reversed().map { ($0, x, fx) }
            while let (e, px, pfx) = stack.popLast() {
                let s = tree.step[e]
                let gx = tree.actOnInputs(s, px), gfx = pfx.map { tree.actOnOutput(s, $0) }
                visit(e, gx, gfx)
                for c in tree.children[e].reversed() { stack.append((c, gx, gfx)) }
            }
        } else {
            for g in 0..<elementCount { visit(g, actOnInputs(g, x), fx.map { actOnOutput(g, $0) }) }
        }
        return worst
    }

    /// The worst distance between f(g·x) and g⋆f(x) over every element and `samples` inputs
    /// from each family.
    public func check(
        inputSizes: [Int], families: [InputFamily] = InputFamily.allCases, samples: Int = 2, seed: UInt64 = 0x1A5,
        _ f: ([[Double]]) -> [Double]
    ) -> LawReport {
        withoutActuallyEscaping(f) { f in check(inputSizes: inputSizes, families: families, samples: samples, seed: seed, maps: [f])[0] }
    }

    /// `check` for several maps on the same inputs (one report per map, in order).
    public func check(
        inputSizes: [Int], families: [InputFamily] = InputFamily.allCases, samples: Int = 2, seed: UInt64 = 0x1A5,
        maps: [([[Double]]) -> [Double]]
    ) -> [LawReport] {
        var rng = RuntimeRandom(seed: seed)
        var results = [[FamilyResult]](repeating: [], count: maps.count)
        // A relative law measures each map's gain on generic (standard-normal) inputs first, and
        // again at the scale of each sample (the same inputs rescaled to its norm); the probes are
        // drawn from their own generator so the family samples stay the same.
        var gains: [Double]?
        var normCap = 0.0
        var probes: [(x: [[Double]], norm: Double)] = []
        if isRelative {
            var probe = RuntimeRandom(seed: seed ^ 0x6A1_F100)
            var g = [Double](repeating: 0, count: maps.count)
            for _ in 0..<2 {
                let x = inputSizes.map { InputFamily.standardNormal.sample($0, &probe) }
                let n = Law.norm(x.flatMap { $0 })
                guard n > 0 else { continue }
                probes.append((x, n))
                normCap = Swift.max(normCap, n)
                for m in maps.indices {
                    let r = Law.norm(maps[m](x)) / n
                    if r.isFinite { g[m] = Swift.max(g[m], r) }
                }
            }
            gains = g
        }
        for family in families {
            var worst = [(error: Double, element: Int)](repeating: (0, 0), count: maps.count)
            for _ in 0..<samples {
                let x = inputSizes.map { family.sample($0, &rng) }
                var scaleGains: [Double]?
                if isRelative {
                    // The generic probes rescaled to this sample's norm (the same gain as `gains`
                    // for a linear map).
                    let n = Law.norm(x.flatMap { $0 })
                    var g = [Double](repeating: 0, count: maps.count)
                    for p in probes where n > 0 && n.isFinite {
                        let scaled = p.x.map { $0.map { $0 * (n / p.norm) } }
                        for m in maps.indices {
                            let r = Law.norm(maps[m](scaled)) / n
                            if r.isFinite { g[m] = Swift.max(g[m], r) }
                        }
                    }
                    scaleGains = g
                }
                let found = worstErrors(at: x, maps, gains: gains, normCap: normCap, scaleGains: scaleGains)
                for m in maps.indices where !(found[m].error <= worst[m].error) { worst[m] = found[m] }
            }
            for m in maps.indices {
                results[m].append(.init(family: family.rawValue, worst: worst[m].error, element: describe(worst[m].element)))
            }
        }
        return results.map { LawReport(law: name, elementCount: elementCount, isComplete: isComplete, results: $0) }
    }
}

/// The outcome of `Law.check`: the worst error per input family and the element that gave it.
public struct LawReport: Sendable, CustomStringConvertible {
    /// The law's name.
    public let law: String
    /// How many elements were checked.
    public let elementCount: Int
    /// Whether they were the whole group.
    public let isComplete: Bool
    /// One result per input family, in `InputFamily` order.
    public let results: [FamilyResult]

    /// The worst error over every family.
    public var worst: Double { results.map(\.worst).max() ?? 0 }

    /// True when the worst error is at most `threshold`.
    public func passes(threshold: Double) -> Bool { worst <= threshold }

    /// One line for the law, then one per family with its worst element.
    public var description: String {
        var lines = ["law \(law) over \(isComplete ? "all" : "") \(elementCount) elements\(isComplete ? "" : " (generators and random elements)")"]
        for r in results { lines.append("  \(r.family): \(r.worst) (at \(r.element ?? "?"))") }
        return lines.joined(separator: "\n")
    }
}

/// A linear action on a flat vector.
public enum LinearAction: Sendable {
    /// Point i goes to p[i]: y[p[i]] = x[i].
    case permutation([Int])
    /// y[p[i]] = s[i]·x[i].
    case signedPermutation([Int], [Double])
    /// y = M x, M row-major n×n.
    case matrix([Double], Int)
    /// y = M x for a sparse n×n M: entry t adds values[t]·x[columns[t]] to y[rows[t]].
    case sparse(rows: [Int], columns: [Int], values: [Double], dimension: Int)

    /// A sparse action from `row column value` triples separated by spaces (the form
    /// `archsynth verify --spec` passes a spec's generator images in, parsed at run time so large
    /// actions do not load the type checker); nil when the text is malformed or out of range.
    public static func sparse(dimension: Int, triples text: String) -> LinearAction? {
        let fields = text.split(separator: " ")
        guard fields.count % 3 == 0 else { return nil }
        var r: [Int] = [], c: [Int] = [], v: [Double] = []
        var t = 0
        while t + 2 < fields.count {
            guard let row = Int(fields[t]), let column = Int(fields[t + 1]), let value = Double(fields[t + 2]),
                (0..<dimension).contains(row), (0..<dimension).contains(column)
            else { return nil }
            r.append(row)
            c.append(column)
            v.append(value)
            t += 3
        }
        return .sparse(rows: r, columns: c, values: v, dimension: dimension)
    }

    /// y = A x.
    /// - Complexity: O(d) for (signed) permutations, O(nonzeros) for sparse, O(d²) for a matrix.
    public func apply(_ x: [Double]) -> [Double] {
        switch self {
        case let .permutation(p):
            var y = x
            for i in p.indices { y[p[i]] = x[i] }
            return y
        case let .signedPermutation(p, s):
            var y = x
            for i in p.indices { y[p[i]] = s[i] * x[i] }
            return y
        case let .matrix(m, n):
            return (0..<n).map { r in
                var acc = 0.0
                for c in 0..<n { acc += m[r * n + c] * x[c] }
                return acc
            }
        case let .sparse(rows, columns, values, n):
            var y = [Double](repeating: 0, count: n)
            for t in rows.indices { y[rows[t]] += values[t] * x[columns[t]] }
            return y
        }
    }
}
