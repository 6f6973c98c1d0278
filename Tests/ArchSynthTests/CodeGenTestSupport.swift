import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// Bases built by hand, straight from the definition ρ_out(g) W = W ρ_in(g), so the emitter
/// tests do not depend on the solver.
enum TestBases {
    /// Monomial × monomial: union-find with sign parity on index pairs (r, c) under
    /// (r, c) ↦ (π_out(r), π_in(c)), sign s_out(r)·s_in(c); orbits meeting themselves with
    /// opposite sign are zero. Orbits numbered by their smallest pair (row-major).
    static func tying(input: Representation, output: Representation) -> EquivariantBasis {
        let gIn = input.monomialImages!, gOut = output.monomialImages!
        let dIn = input.dimension, dOut = output.dimension
        func orbits(_ count: Int, _ step: (Int, Int) -> (Int, Int8)) -> (index: [Int32], sign: [Int8], count: Int) {
            var parent = Array(0..<count), parity = [Int8](repeating: 1, count: count)
            func find(_ x: Int) -> (Int, Int8) {
                var x = x, s: Int8 = 1
                while parent[x] != x { s *= parity[x]; x = parent[x] }
                return (x, s)
            }
            var zero = Set<Int>()
            for x in 0..<count {
                for g in gIn.indices {
                    let (y, s) = step(g, x)
                    let (rx, sx) = find(x), (ry, sy) = find(y)
                    // value(y) = s · value(x)
                    if rx == ry {
                        if sy != s * sx { zero.insert(rx) }
                    } else {
                        let (a, b) = rx < ry ? (rx, ry) : (ry, rx)
                        parent[b] = a
                        parity[b] = sx * s * sy  // value(root b) relative to root a
                        if zero.contains(b) { zero.insert(a) }
                    }
                }
            }
            var label = [Int: Int32](), index = [Int32](repeating: -1, count: count), sign = [Int8](repeating: 0, count: count)
            for x in 0..<count {
                let (r, s) = find(x)
                if zero.contains(r) { continue }
                if label[r] == nil { label[r] = Int32(label.count) }
                index[x] = label[r]!
                sign[x] = s
            }
            return (index, sign, label.count)
        }
        let w = orbits(dOut * dIn) { g, x in
            let r = x / dIn, c = x % dIn
            let (po, pi) = (gOut[g], gIn[g])
            return (Int(po.images[r]) * dIn + Int(pi.images[c]), po.signs[r] * pi.signs[c])
        }
        let b = orbits(dOut) { g, r in (Int(gOut[g].images[r]), gOut[g].signs[r]) }
        // Normalize so the first member of each orbit has sign +1.
        func elements(_ o: (index: [Int32], sign: [Int8], count: Int), rows: Int, columns: Int) -> ([BasisMatrix], [Int8]) {
            var firstSign = [Int8](repeating: 0, count: o.count)
            var entries = [[SparseEntry<Double>]](repeating: [], count: o.count)
            var exact = [[Rational]](repeating: [], count: o.count)
            var sign = o.sign
            for x in 0..<o.index.count where o.index[x] >= 0 {
                let k = Int(o.index[x])
                if firstSign[k] == 0 { firstSign[k] = o.sign[x] }
                sign[x] = o.sign[x] * firstSign[k]
                entries[k].append(SparseEntry(row: x / columns, column: x % columns, value: Double(sign[x])))
                exact[k].append(Rational(Int(sign[x])))
            }
            return ((0..<o.count).map { BasisMatrix(rows: rows, columns: columns, entries: entries[$0], exactValues: exact[$0]) }, sign)
        }
        let (we, ws) = elements(w, rows: dOut, columns: dIn)
        let (be, bs) = elements(b, rows: dOut, columns: 1)
        return EquivariantBasis(
            inputDimension: dIn, outputDimension: dOut, elements: we, biasElements: be,
            tying: WeightTying(outputDimension: dOut, inputDimension: dIn, index: w.index, sign: ws, biasIndex: b.index, biasSign: bs),
            method: .monomialOrbits,
            crossCheck: CrossCheck(characterDimension: nil, characterBiasDimension: nil, characterNote: "test basis", residual: 0,
                                   exactConstraintCheck: true, certificates: [.orbits]))
    }

    /// Any representations: the numerical nullspace of the stacked constraints (Float64).
    static func dense(input: Representation, output: Representation) throws -> EquivariantBasis {
        let dIn = input.dimension, dOut = output.dimension, n = dIn * dOut
        func nullspace(_ rowsOut: Int, _ cols: Int, _ mIn: [Matrix]?, _ mOut: [Matrix]) throws -> [[Double]] {
            let unknowns = rowsOut * cols
            guard unknowns > 0 else { return [] }
            var a = Matrix(rows: mOut.count * unknowns, columns: unknowns)
            for g in mOut.indices {
                for r in 0..<rowsOut {
                    for c in 0..<cols {
                        let row = g * unknowns + r * cols + c
                        for k in 0..<rowsOut { a[row, k * cols + c] += mOut[g][r, k] }
                        if let mIn { for k in 0..<cols { a[row, r * cols + k] -= mIn[g][k, c] } } else { a[row, r * cols + c] -= 1 }
                    }
                }
            }
            let ns = try a.nullspace(relativeTolerance: 1e-9).basis
            return (0..<ns.rows).map { i in (0..<ns.columns).map { ns[i, $0] } }
        }
        func sparse(_ v: [Double], _ rows: Int, _ cols: Int) -> BasisMatrix {
            var entries: [SparseEntry<Double>] = []
            for (i, x) in v.enumerated() where abs(x) > 1e-12 { entries.append(SparseEntry(row: i / cols, column: i % cols, value: x)) }
            return BasisMatrix(rows: rows, columns: cols, entries: entries)
        }
        let w = try nullspace(dOut, dIn, input.realImages, output.realImages).map { sparse($0, dOut, dIn) }
        let b = try nullspace(dOut, 1, nil, output.realImages).map { sparse($0, dOut, 1) }
        _ = n
        return EquivariantBasis(
            inputDimension: dIn, outputDimension: dOut, elements: w, biasElements: b, tying: nil, method: .floatNullspace,
            crossCheck: CrossCheck(characterDimension: nil, characterBiasDimension: nil, characterNote: "test basis", residual: 0, exactConstraintCheck: false))
    }

    static func group(_ spec: String) throws -> FiniteGroup { try GroupResolver().resolve(spec) }

    /// A layer description for `spec`, `--in`, `--out`, with the tying basis when monomial.
    static func layer(_ spec: String, _ input: String, _ output: String, name: String) throws -> LayerDescription {
        let g = try group(spec)
        let rIn = try g.representation(parsing: input), rOut = try g.representation(parsing: output)
        let basis = rIn.kind.isMonomial && rOut.kind.isMonomial ? tying(input: rIn, output: rOut) : try dense(input: rIn, output: rOut)
        return try LayerDescription(
            typeName: name, group: g, input: rIn, output: rOut, inputExpression: input, outputExpression: output, basis: basis)
    }

    static func emitter(_ spec: String, _ input: String, _ output: String, name: String, strategy: StrategyPreference = .automatic) throws -> LayerEmitter {
        var layer = try layer(spec, input, output, name: name)
        if strategy == .forced(.factored) {
            // The factored form exists only as the solver builds it.
            let g = try group(spec)
            let basis = try IntertwinerSolver.solveFactored(input: layer.input, output: layer.output, group: g)
            layer = try LayerDescription(
                typeName: name, group: g, input: layer.input, output: layer.output, inputExpression: input,
                outputExpression: output, basis: basis)
        }
        let command = GeneratedFileHeader.commandLine(
            ["archsynth", "generate", "layer", spec, "--in", input, "--out", output, "--name", name, "-o", name + ".swift"])
        return try LayerEmitter(layer: layer, header: GeneratedFileHeader(spec: spec, command: command), strategy: strategy)
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
