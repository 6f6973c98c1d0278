import ArchSynthRuntime

/// Law errors of unrolled blocks against K = 1, 2, 4, …, 64 (the `verify`-style sweep of issue 10).
///
/// Units: translation blocks measure shifts on the circle in grid units (worst over inputs and
/// moves); the dihedral block measures the fraction of (input, move) checks whose element is
/// wrong; the gradient form measures `Law.check`'s relative error on the out-of-distribution
/// families.
public enum UnrolledBlockReport {
    public static let defaultSteps = [1, 2, 4, 8, 16, 32, 64]

    /// Translation fixed-point block (Lucas–Kanade steps) on N-point periodic signals: the
    /// diagonal error is the worst over the signal pairs with both rolled by u, and over the
    /// out-of-distribution families (unrelated random A, B); the larger error is the worst over
    /// the signal pairs with A rolled by w and B by u, against t + u − w.
    public static func errorsAgainstK(
        name: String, grid n: Int, signals: [(a: [Double], b: [Double])], moves: [(w: Int, u: Int)], steps: [Int] = defaultSteps
    ) -> [UnrolledBlockRow] {
        steps.map { k in
            let block = UnrolledFixedPoint(count: n, steps: k)
            var diagonal = UnrolledFixedPoint.diagonalLaw(count: n, shifts: moves.map(\.u))
                .check(inputSizes: [n, n], samples: 1) { [block.shift($0[0], $0[1])] }.worst
            var larger = 0.0
            for (a, b) in signals {
                let t = block.shift(a, b)
                for (w, u) in moves {
                    let tu = block.shift(PeriodicSignal.rolled(a, by: u), PeriodicSignal.rolled(b, by: u))
                    diagonal = max(diagonal, PeriodicSignal.circularDistance(tu, t, period: n))
                    let twu = block.shift(PeriodicSignal.rolled(a, by: w), PeriodicSignal.rolled(b, by: u))
                    larger = max(larger, PeriodicSignal.circularDistance(twu, t + Double(u - w), period: n))
                }
            }
            return UnrolledBlockRow(name: name, steps: k, diagonal: diagonal, larger: larger)
        }
    }

    /// The 2-D translation block on an H×W grid: as the 1-D one, the worst of the two axes.
    public static func errorsAgainstK(
        name: String, height h: Int, width w: Int, signals: [(a: [Double], b: [Double])],
        moves: [(w: (y: Int, x: Int), u: (y: Int, x: Int))], steps: [Int] = defaultSteps
    ) -> [UnrolledBlockRow] {
        steps.map { k in
            let block = UnrolledFixedPoint2D(height: h, width: w, steps: k)
            let diagonalLaw = UnrolledFixedPoint2D.diagonalLaw(height: h, width: w, shifts: moves.map(\.u))
            let pairLaw = UnrolledFixedPoint2D.pairLaw(height: h, width: w, pairs: moves)
            var diagonal = diagonalLaw.check(inputSizes: [h * w, h * w], samples: 1) { block.shift($0[0], $0[1]) }.worst
            var larger = 0.0
            for (a, b) in signals {
                let t = block.shift(a, b)
                for g in moves.indices {
                    let xd = diagonalLaw.actOnInputs(g, [a, b])
                    diagonal = max(diagonal, diagonalLaw.distance(block.shift(xd[0], xd[1]), t))
                    let xp = pairLaw.actOnInputs(g, [a, b])
                    larger = max(larger, pairLaw.distance(block.shift(xp[0], xp[1]), pairLaw.actOnOutput(g, t)))
                }
            }
            return UnrolledBlockRow(name: name, steps: k, diagonal: diagonal, larger: larger)
        }
    }

    /// The gradient form: the group law's worst relative error on the out-of-distribution
    /// families for the same energy unrolled K steps (random parameters from `seed`).
    public static func errorsAgainstK(name: String, gradient block: UnrolledGradientBlock, steps: [Int] = defaultSteps, seed: UInt64 = 1) -> [UnrolledBlockRow] {
        let law = block.law
        return steps.map { k in
            let node = block.node(steps: k), p = node.initialParameters(seed: seed)
            let worst = law.check(inputSizes: node.inputSizes) { node.forward(p, $0) }.worst
            return UnrolledBlockRow(name: name, steps: k, diagonal: worst, larger: .nan)
        }
    }

    /// The gradient form on a generated energy network, as above (random parameters from `seed`).
    public static func errorsAgainstK(name: String, gradient block: UnrolledGradientNetworkBlock, steps: [Int] = defaultSteps, seed: UInt64 = 1) -> [UnrolledBlockRow] {
        UnrolledSweep.gradient(name: name, law: block.law, inputSizes: [block.xSize, block.contextSize], steps: steps) { k, x in
            block.node(steps: k).forward(block.initialParameters(steps: k, seed: seed), x)
        }
    }

    /// A plain-text table: name, K, diagonal error, larger error.
    public static func table(_ rows: [UnrolledBlockRow]) -> String {
        func f(_ x: Double) -> String { x.isNaN ? "-" : NumberFormat.scientific(x) }
        var lines = ["case\tK\tdiagonal error\tlarger error"]
        for r in rows { lines.append("\(r.name)\t\(r.steps)\t\(f(r.diagonal))\t\(f(r.larger))") }
        return lines.joined(separator: "\n")
    }
}
