import GroupTheory

/// Partition-diagram closed forms for S_n acting naturally (see `SymmetricStructure`):
/// each diagram pools the input over its input-only parts and broadcasts over its
/// output-only parts, so a layer costs O(n^2) per block pair instead of O(n^(k+l)).
/// Coefficients φ = C θ with C exact (sparse rational literals); ∂L/∂θ = Cᵀ ∂L/∂φ.
struct ClosedFormSymmetricEmitter: KernelEmitter {
    let layer: LayerDescription
    let structure: SymmetricStructure

    var strategy: ForwardStrategy { .symmetricClosedForm }
    var coefficientCount: Int { structure.diagrams.count }
    var note: String {
        let kinds = ["trivial", "natural", "natural^2"]
        let ins = structure.inputBlocks.map { kinds[$0.rank] }.joined(separator: " + ")
        let outs = structure.outputBlocks.map { kinds[$0.rank] }.joined(separator: " + ")
        return "S_\(structure.n) acting naturally (|group| = \(structure.n)! checked), \(ins) → \(outs): \(structure.diagrams.count) partition diagrams with pooling"
    }

    func printConstants(_ p: inout CodePrinter) {
        p.print("// Change of basis φ = C θ (exact): φ[changeRow[e]] += changeValue[e] · θ[changeColumn[e]].")
        p.printIntegers("static let changeRow", type: "Int32", structure.change.map(\.row))
        p.printIntegers("static let changeColumn", type: "Int32", structure.change.map(\.column))
        p.printConstants("changeValue", structure.change.map { .exact($0.value) })
    }

    func printCoefficientsBody(_ p: inout CodePrinter) {
        p.print("""
            var phi = [Double](repeating: 0, count: \(coefficientCount))
            for e in 0..<changeRow.count {
                phi[Int(changeRow[e])] += changeValue[e] * theta[Int(changeColumn[e])]
            }
            return phi
            """)
    }

    var conformance: String { "GeneratedPanelLayer" }
    var tableEntries: Int { 0 }

    func emittedWeightMatrix(theta: [Double]) -> Matrix {
        var phi = [Double](repeating: 0, count: coefficientCount)
        for e in structure.change { phi[e.row] += e.value.doubleValue * theta[e.column] }
        var m = Matrix(rows: layer.output.dimension, columns: layer.input.dimension)
        for q in phi.indices {
            m = m + phi[q] * structure.denseDiagram(q, inputDimension: layer.input.dimension, outputDimension: layer.output.dimension)
        }
        return m
    }

    func printWeightGradientBody(_ p: inout CodePrinter) {
        p.print("""
            var g = [S](repeating: 0, count: weightCount)
            for e in 0..<changeRow.count {
                g[Int(changeColumn[e])] += S(changeValue[e]) * dc[Int(changeRow[e])]
            }
            return g
            """)
    }

    /// The loop structure of one diagram.
    private struct Shape {
        var mixed: [Int] = [], inputOnly: [Int] = [], outputOnly: [Int] = []
        var inputIndex = "", outputIndex = ""
        var description = ""
    }

    private func shape(_ q: Int, input xo: String, output yo: String) -> Shape {
        let d = structure.diagrams[q]
        let n = structure.n
        let l = d.outputRank, k = d.inputRank
        let partCount = (d.parts.max() ?? -1) + 1
        var s = Shape()
        for part in 0..<partCount {
            let hasOut = (0..<l).contains { d.parts[$0] == part }
            let hasIn = (l..<(l + k)).contains { d.parts[$0] == part }
            if hasOut && hasIn { s.mixed.append(part) } else if hasIn { s.inputOnly.append(part) } else { s.outputOnly.append(part) }
        }
        func index(_ base: String, offset: Int, slots: ArraySlice<Int>) -> String {
            var terms = base.isEmpty ? [] : [base]
            if offset != 0 { terms.append(String(offset)) }
            for (j, part) in slots.enumerated() {
                let stride = slots.count - 1 - j == 1 ? n : 1
                terms.append(stride == 1 ? "p\(part)" : "p\(part) * \(stride)")
            }
            return terms.isEmpty ? "0" : terms.joined(separator: " + ")
        }
        s.outputIndex = index(yo, offset: structure.outputBlocks[d.outputBlock].offset, slots: d.parts[0..<l])
        s.inputIndex = index(xo, offset: structure.inputBlocks[d.inputBlock].offset, slots: d.parts[l...])
        let slotNames = (0..<l).map { "o\($0)" } + (0..<k).map { "i\($0)" }
        let groups = (0..<partCount).map { part in "{" + slotNames.indices.filter { d.parts[$0] == part }.map { slotNames[$0] }.joined(separator: ",") + "}" }
        s.description = "output block \(d.outputBlock) (rank \(l)) ← input block \(d.inputBlock) (rank \(k)), parts " + (groups.isEmpty ? "{}" : groups.joined())
        return s
    }


    /// Row `index` of a panel: `base + (index) &* stride`.
    private func row(_ base: String, _ index: String) -> String {
        index == "0" ? base : "\(base) + (\(index)) &* stride"
    }

    /// One side of a diagram as shared work: the input slots pooled over input-only parts
    /// (one pooled array per distinct key, reused by every diagram with that key) or the output
    /// slots broadcast over output-only parts (one accumulated array per key, broadcast once).
    struct Side: Hashable {
        let block: Int
        /// Slot labels: "m<i>" the i-th mixed part in order of first appearance on this side,
        /// "f<i>" the i-th part free on this side (pooled or broadcast).
        let labels: [String]
        var mixedCount: Int { Set(labels.filter { $0.hasPrefix("m") }).count }
        var isPooled: Bool { labels.contains { $0.hasPrefix("f") } }
    }

    /// The side of diagram q (input when `input`), with its mixed parts in first-appearance order.
    private func side(_ q: Int, input: Bool) -> (side: Side, mixedParts: [Int]) {
        let d = structure.diagrams[q]
        let l = d.outputRank
        let slots = input ? Array(d.parts[l...]) : Array(d.parts[0..<l])
        let other = input ? Array(d.parts[0..<l]) : Array(d.parts[l...])
        var mixed: [Int] = [], free: [Int] = []
        let labels = slots.map { part -> String in
            if other.contains(part) {
                if !mixed.contains(part) { mixed.append(part) }
                return "m\(mixed.firstIndex(of: part)!)"
            }
            if !free.contains(part) { free.append(part) }
            return "f\(free.firstIndex(of: part)!)"
        }
        return (Side(block: input ? d.inputBlock : d.outputBlock, labels: labels), mixed)
    }

    /// Shared arrays: distinct pooled input sides and broadcast output sides, with row offsets in tmp.
    private var layout: (inputs: [Side: Int], outputs: [Side: Int], inputRows: Int, outputRows: Int) {
        var inputs: [Side: Int] = [:], outputs: [Side: Int] = [:]
        var inRows = 0, outRows = 0
        let n = structure.n
        for q in structure.diagrams.indices {
            let i = side(q, input: true).side, o = side(q, input: false).side
            if i.isPooled, inputs[i] == nil { inputs[i] = inRows; inRows += (0..<i.mixedCount).reduce(1) { r, _ in r * n } }
            if o.isPooled, outputs[o] == nil { outputs[o] = outRows; outRows += (0..<o.mixedCount).reduce(1) { r, _ in r * n } }
        }
        return (inputs, outputs, inRows, outRows)
    }

    /// Pooled sides in first-use order (deterministic output).
    private func ordered(_ table: [Side: Int]) -> [(Side, Int)] { table.sorted { $0.value < $1.value }.map { ($0.key, $0.value) } }

    /// Index of a slot tuple in a block: offset + Σ slot_j · n^(rank − 1 − j).
    private func blockIndex(_ block: SymmetricStructure.Block, _ vars: [String], offsetName: String? = nil) -> String {
        var terms: [String] = []
        if let offsetName { terms.append(offsetName) } else if block.offset != 0 { terms.append(String(block.offset)) }
        for (j, v) in vars.enumerated() {
            let stride = vars.count - 1 - j == 1 ? structure.n : 1
            terms.append(stride == 1 ? v : "\(v) * \(stride)")
        }
        return terms.isEmpty ? "0" : terms.joined(separator: " + ")
    }

    /// Row of a shared array (offset rows in, mixed variables in first-appearance order).
    private func sharedIndex(_ offset: Int, _ vars: [String], offsetName: String? = nil) -> String {
        var terms: [String] = []
        if let offsetName { terms.append(offsetName) } else if offset != 0 { terms.append(String(offset)) }
        for (j, v) in vars.enumerated() {
            let stride = vars.count - 1 - j == 1 ? structure.n : 1
            terms.append(stride == 1 ? v : "\(v) * \(stride)")
        }
        return terms.isEmpty ? "0" : terms.joined(separator: " + ")
    }

    /// `statement` inside one `for NAME in 0..<n` per name, on one line, with a trailing comment.
    private func loopLine(_ names: [String], _ statement: String, comment: String? = nil) -> String {
        names.reversed().reduce(statement) { body, name in "for \(name) in 0..<n { \(body) }" } + (comment.map { "  // " + $0 } ?? "")
    }

    private func distinct(_ labels: [String], prefix: String) -> [String] {
        var out: [String] = []
        for l in labels where l.hasPrefix(prefix) && !out.contains(l) { out.append(l) }
        return out
    }

    /// For each pooled side: `into` rows (at `base` + offset) += Σ over free slots of `from` rows
    /// (pool, `reverse` false) or `from` rows broadcast onto `into` (reverse true).
    private func printPooling(_ p: inout CodePrinter, _ sides: [(Side, Int)], blocks: [SymmetricStructure.Block],
                              panel: String, shared: String, broadcast: Bool) {
        for (side, offset) in sides {
            let mixed = distinct(side.labels, prefix: "m"), free = distinct(side.labels, prefix: "f")
            let panelRow = row(panel, blockIndex(blocks[side.block], side.labels))
            let sharedRow = row(shared, sharedIndex(offset, mixed))
            p.print(loopLine(
                mixed + free, broadcast ? "_add(\(sharedRow), \(panelRow), nv)" : "_add(\(panelRow), \(sharedRow), nv)",
                comment: "\(broadcast ? "broadcast" : "pool") block \(side.block) slots (\(side.labels.joined(separator: ", ")))"))
        }
    }

    /// Diagram q's source or target row: the shared array of its side, or the panel itself.
    /// With `offsetName`, the row offset (of the block, or of the shared array) is that variable,
    /// so diagrams that differ only in their blocks print the same text.
    private func operand(_ q: Int, input: Bool, panel: String, shared: String, table: [Side: Int], offsetName: String? = nil) -> String {
        let (sd, mixedParts) = side(q, input: input)
        if let offset = table[sd] {
            return row(shared, sharedIndex(offset, mixedParts.map { "p\($0)" }, offsetName: offsetName))
        }
        let d = structure.diagrams[q]
        let slots = input ? Array(d.parts[d.outputRank...]) : Array(d.parts[0..<d.outputRank])
        let block = input ? structure.inputBlocks[d.inputBlock] : structure.outputBlocks[d.outputBlock]
        return row(panel, blockIndex(block, slots.map { "p\($0)" }, offsetName: offsetName))
    }

    /// Row offset of diagram q's input (or output) operand: its shared array's or its block's.
    private func operandOffset(_ q: Int, input: Bool, table: [Side: Int]) -> Int {
        if let offset = table[side(q, input: input).side] { return offset }
        let d = structure.diagrams[q]
        return input ? structure.inputBlocks[d.inputBlock].offset : structure.outputBlocks[d.outputBlock].offset
    }

    /// Diagrams whose statements differ only in their coefficient and operand offsets, in order of
    /// first appearance: a group of one is printed as it is; a larger group as one loop over a table
    /// of (q, input offset, output offset) (`_diagramsK`), so a layer between many copies of the
    /// same blocks prints one line per kind of diagram instead of one per diagram.
    private var groups: [[Int]] {
        let lay = layout
        var order: [String] = [], members: [String: [Int]] = [:]
        for q in structure.diagrams.indices {
            let key = mixedParts(q).joined(separator: ",") + "|"
                + operand(q, input: true, panel: "xt", shared: "pooled", table: lay.inputs, offsetName: "a") + "|"
                + operand(q, input: false, panel: "yt", shared: "spread", table: lay.outputs, offsetName: "b") + "|"
                + operand(q, input: false, panel: "dyt", shared: "gathered", table: lay.outputs, offsetName: "b") + "|"
                + operand(q, input: true, panel: "dxt", shared: "pooledGradient", table: lay.inputs, offsetName: "a")
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(q)
        }
        return order.map { members[$0]! }
    }

    /// The statement of diagram group `group` (index k), with `body(a, b)` for operand offsets a, b.
    private func groupLine(_ group: [Int], _ k: Int, body: (_ q: String, _ a: String?, _ b: String?) -> String) -> String {
        let q = group[0]
        let parts = shape(q, input: "", output: "").description
        if group.count == 1 { return loopLine(mixedParts(q), body("\(q)", nil, nil), comment: "φ[\(q)]: \(parts)") }
        let kind = parts.range(of: "parts ").map { String(parts[$0.lowerBound...]) } ?? parts
        let statement = loopLine(mixedParts(q), body("q", "a", "b"))
        return "_diagrams\(k).withUnsafeBufferPointer { t in for e in Swift.stride(from: 0, to: t.count, by: 3) { let q = t[e], a = t[e + 1], b = t[e + 2]; \(statement) } }  // \(group.count) diagrams φ[q], \(kind)"
    }

    private func mixedParts(_ q: Int) -> [String] {
        side(q, input: false).mixedParts.map { "p\($0)" }
    }

    // Batch-major panels: every pooling sum and broadcast is a SIMD operation over up to 64
    // (Float) or 32 (Double) contiguous samples. Pooled inputs and broadcast outputs are shared
    // between diagrams (each computed once per panel), then each diagram is one axpy per value of
    // its mixed parts.
    func printKernels(_ p: inout CodePrinter) {
        let S = "S"
        let lay = layout
        let temporaries = max(1, 2 * lay.inputRows + lay.outputRows)
        // The forward panel holds x, y and the temporaries (backward adds dx; one width serves both).
        let values = layer.input.dimension + layer.output.dimension + temporaries
        p.print("public static let panelTemporaries = \(temporaries)")
        p.print("public static let panelValuesPerSample = \(values)")
        let groups = self.groups
        for (k, group) in groups.enumerated() where group.count > 1 {
            p.print("/// Diagram group \(k): (q, input row offset, output row offset) of each of its \(group.count) diagrams.")
            p.printIntegers("static let _diagrams\(k)", type: "Int", group.flatMap { [$0, operandOffset($0, input: true, table: lay.inputs), operandOffset($0, input: false, table: lay.outputs)] }, perLine: 30)
        }
        p.print()
        let ins = ordered(lay.inputs), outs = ordered(lay.outputs)
        // n through `_loopCount`, so the generic panel keeps its loops (see the runtime's comment).
        let loops = !ins.isEmpty || !outs.isEmpty || groups.contains { !mixedParts($0[0]).isEmpty }
        let count = "let n = _loopCount(\(structure.n), S.self)"
        p.block("public static func _forwardPanel<S: GeneratedScalar>(_ xt: UnsafePointer<\(S)>, _ yt: UnsafeMutablePointer<\(S)>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<\(S)>, _ tmp: UnsafeMutablePointer<\(S)>)") { p in
            if loops { p.print(count) }
            if lay.inputRows > 0 { p.print("let pooled = tmp") }
            if lay.outputRows > 0 { p.print("let spread = tmp + \(lay.inputRows) &* stride") }
            if lay.inputRows + lay.outputRows > 0 { p.print("tmp.update(repeating: 0, count: \(lay.inputRows + lay.outputRows) &* stride)") }
            printPooling(&p, ins, blocks: structure.inputBlocks, panel: "xt", shared: "pooled", broadcast: false)
            for (k, group) in groups.enumerated() {
                p.print(groupLine(group, k) { q, a, b in
                    let src = operand(group[0], input: true, panel: "xt", shared: "UnsafePointer(pooled)", table: lay.inputs, offsetName: a)
                    let dst = operand(group[0], input: false, panel: "yt", shared: "spread", table: lay.outputs, offsetName: b)
                    return "_axpy(c[\(q)], \(src), \(dst), nv)"
                })
            }
            printPooling(&p, outs, blocks: structure.outputBlocks, panel: "yt", shared: "UnsafePointer(spread)", broadcast: true)
        }
        p.print()
        p.block("public static func _backwardPanel<S: GeneratedScalar>(_ xt: UnsafePointer<\(S)>, _ dyt: UnsafePointer<\(S)>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<\(S)>, _ dc: UnsafeMutablePointer<\(S)>, _ dxt: UnsafeMutablePointer<\(S)>, _ tmp: UnsafeMutablePointer<\(S)>)") { p in
            if loops { p.print(count) }
            if lay.inputRows > 0 { p.print("let pooled = tmp, pooledGradient = tmp + \(lay.inputRows) &* stride") }
            if lay.outputRows > 0 { p.print("let gathered = tmp + \(2 * lay.inputRows) &* stride") }
            if 2 * lay.inputRows + lay.outputRows > 0 { p.print("tmp.update(repeating: 0, count: \(2 * lay.inputRows + lay.outputRows) &* stride)") }
            printPooling(&p, ins, blocks: structure.inputBlocks, panel: "xt", shared: "pooled", broadcast: false)
            printPooling(&p, outs, blocks: structure.outputBlocks, panel: "dyt", shared: "gathered", broadcast: false)
            for (k, group) in groups.enumerated() {
                p.print(groupLine(group, k) { q, a, b in
                    let xs = operand(group[0], input: true, panel: "xt", shared: "UnsafePointer(pooled)", table: lay.inputs, offsetName: a)
                    let gs = operand(group[0], input: false, panel: "dyt", shared: "UnsafePointer(gathered)", table: lay.outputs, offsetName: b)
                    let dst = operand(group[0], input: true, panel: "dxt", shared: "pooledGradient", table: lay.inputs, offsetName: a)
                    return "dc[\(q)] += _dotAxpy(c[\(q)], \(xs), \(gs), \(dst), nv)"
                })
            }
            printPooling(&p, ins, blocks: structure.inputBlocks, panel: "dxt", shared: "UnsafePointer(pooledGradient)", broadcast: true)
        }
    }
}
