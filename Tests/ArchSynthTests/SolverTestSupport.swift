import ArchSynth
import GroupTheory
import XCTest

/// Helpers shared by the solver tests: naive verifiers written straight from the definitions.
enum SolverTestSupport {
    static func group(_ spec: String) throws -> FiniteGroup { try GroupResolver().resolve(spec) }

    static func solve(_ spec: String, _ input: String, _ output: String, options: SolverOptions = .init()) throws
        -> EquivariantBasis
    {
        try IntertwinerSolver.solve(
            group: group(spec), input: RepresentationExpression(parsing: input),
            output: RepresentationExpression(parsing: output), options: options)
    }

    /// Stirling numbers of the second kind S(n, k) by the recurrence S(n, k) = k S(n−1, k) + S(n−1, k−1).
    static func stirling(_ n: Int, _ k: Int) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: n + 1), count: n + 1)
        table[0][0] = 1
        if n > 0 { for i in 1...n { for j in 1...i { table[i][j] = j * table[i - 1][j] + table[i - 1][j - 1] } } }
        return k <= n ? table[n][k] : 0
    }

    /// Σ_{j ≤ n} S(m, j): set partitions of m points into at most n blocks — the dimension of
    /// Hom_{S_n}((R^n)^⊗k, (R^n)^⊗l) for m = k + l (Bell(m) once n ≥ m).
    static func restrictedBell(_ m: Int, atMost n: Int) -> Int {
        (0...min(m, n)).reduce(0) { $0 + stirling(m, $1) }
    }

    /// Number of orbits of the generators on 0..<d (naive breadth-first search).
    static func orbitCount(_ generators: [Permutation], degree d: Int) -> Int {
        var seen = [Bool](repeating: false, count: d)
        var orbits = 0
        for start in 0..<d where !seen[start] {
            orbits += 1
            var stack = [start]
            seen[start] = true
            while let x = stack.popLast() {
                for g in generators {
                    let y = Int(g.images[x])
                    if !seen[y] { seen[y] = true; stack.append(y) }
                }
            }
        }
        return orbits
    }

    /// Checks ‖ρ_out(w) W x − W ρ_in(w) x‖ ≤ 1e-12 · ‖W‖·‖x‖ for random W in the span,
    /// random words w and random inputs x.
    static func assertRandomEquivariance(
        _ basis: EquivariantBasis, input: Representation, output: Representation, generatorCount: Int,
        seed: UInt64, trials: Int = 6, file: StaticString = #filePath, line: UInt = #line
    ) {
        var rng = SplitMix64(seed: seed)
        func gaussian() -> Double { (rng.nextUnit() - 0.5) * 3.4 }
        let dOut = basis.outputDimension, dIn = basis.inputDimension
        for _ in 0..<trials {
            var w = Matrix(rows: dOut, columns: dIn)
            for element in basis.elements {
                let theta = gaussian()
                for e in element.entries { w[e.row, e.column] += theta * e.value }
            }
            var b = [Double](repeating: 0, count: dOut)
            for element in basis.biasElements {
                let beta = gaussian()
                for e in element.entries { b[e.row] += beta * e.value }
            }
            let length = 1 + Int(rng.next() % 8)
            let word = Word((0..<length).map { _ in
                let g = Int32(rng.next() % UInt64(generatorCount)) + 1
                return rng.next() % 2 == 0 ? g : -g
            })
            guard let a = output.realMatrix(of: word), let c = input.realMatrix(of: word) else {
                XCTFail("cannot evaluate \(word)", file: file, line: line)
                return
            }
            let x = (0..<dIn).map { _ in gaussian() }
            let lhs = a.apply(w.apply(x)), rhs = w.apply(c.apply(x))
            let scale = max(1, w.frobeniusNorm) * max(1, x.reduce(0) { $0 + $1 * $1 }.squareRoot())
            let error = zip(lhs, rhs).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            XCTAssertLessThanOrEqual(error, 1e-12 * scale, "equivariance of W for word \(word)", file: file, line: line)
            let biasError = zip(a.apply(b), b).reduce(0) { max($0, abs($1.0 - $1.1)) }
            XCTAssertLessThanOrEqual(biasError, 1e-12 * max(1, b.map(abs).max() ?? 0), "bias fixed by \(word)",
                                     file: file, line: line)
        }
    }

    /// The tying table agrees with the sparse elements, entry by entry.
    static func assertTyingMatchesElements(_ basis: EquivariantBasis, file: StaticString = #filePath, line: UInt = #line) {
        guard let tying = basis.tying else { return XCTFail("no tying", file: file, line: line) }
        var index = [Int32](repeating: -1, count: tying.index.count)
        var sign = [Int8](repeating: 0, count: tying.index.count)
        for (t, element) in basis.elements.enumerated() {
            XCTAssertEqual(element.entries.first?.value, 1, "first entry of element \(t) is +1", file: file, line: line)
            for e in element.entries {
                let x = e.row * basis.inputDimension + e.column
                index[x] = Int32(t)
                sign[x] = e.value > 0 ? 1 : -1
            }
        }
        XCTAssertEqual(index, tying.index, file: file, line: line)
        XCTAssertEqual(sign, tying.sign, file: file, line: line)
        var biasIndex = [Int32](repeating: -1, count: basis.outputDimension)
        for (t, element) in basis.biasElements.enumerated() { for e in element.entries { biasIndex[e.row] = Int32(t) } }
        XCTAssertEqual(biasIndex, tying.biasIndex, file: file, line: line)
    }
}
