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
        p.printArray("static let changeRow", type: "Int32", literals: structure.change.map { String($0.row) })
        p.printArray("static let changeColumn", type: "Int32", literals: structure.change.map { String($0.column) })
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

    func printWeightGradientBody(_ p: inout CodePrinter, scalar s: String) {
        p.print("""
            var g = [\(s)](repeating: 0, count: weightCount)
            for e in 0..<changeRow.count {
                g[Int(changeColumn[e])] += \(s)(changeValue[e]) * dc[Int(changeRow[e])]
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
            var terms = [base]
            if offset != 0 { terms.append(String(offset)) }
            for (j, part) in slots.enumerated() {
                let stride = slots.count - 1 - j == 1 ? n : 1
                terms.append(stride == 1 ? "p\(part)" : "p\(part) * \(stride)")
            }
            return terms.joined(separator: " + ")
        }
        s.outputIndex = index(yo, offset: structure.outputBlocks[d.outputBlock].offset, slots: d.parts[0..<l])
        s.inputIndex = index(xo, offset: structure.inputBlocks[d.inputBlock].offset, slots: d.parts[l...])
        let slotNames = (0..<l).map { "o\($0)" } + (0..<k).map { "i\($0)" }
        let groups = (0..<partCount).map { part in "{" + slotNames.indices.filter { d.parts[$0] == part }.map { slotNames[$0] }.joined(separator: ",") + "}" }
        s.description = "output block \(d.outputBlock) (rank \(l)) ← input block \(d.inputBlock) (rank \(k)), parts " + (groups.isEmpty ? "{}" : groups.joined())
        return s
    }

    private func loops(_ parts: [Int], _ p: inout CodePrinter, _ body: (inout CodePrinter) -> Void) {
        guard let first = parts.first else { body(&p); return }
        p.block("for p\(first) in 0..<\(structure.n)") { inner in loops(Array(parts.dropFirst()), &inner, body) }
    }

    func printForwardBody(_ p: inout CodePrinter, scalar s: String) {
        for q in structure.diagrams.indices {
            let sh = shape(q, input: "xo", output: "yo")
            p.print("// φ[\(q)]: \(sh.description)")
            p.block("do") { p in
                p.print("let w = c[\(q)]")
                loops(sh.mixed, &p) { p in
                    if sh.inputOnly.isEmpty {
                        p.print("let ws = w * x[\(sh.inputIndex)]")
                    } else {
                        p.print("var s: \(s) = 0")
                        loops(sh.inputOnly, &p) { $0.print("s += x[\(sh.inputIndex)]") }
                        p.print("let ws = w * s")
                    }
                    loops(sh.outputOnly, &p) { $0.print("y[\(sh.outputIndex)] += ws") }
                }
            }
        }
    }

    func printBackwardBody(_ p: inout CodePrinter, scalar s: String) {
        for q in structure.diagrams.indices {
            let sh = shape(q, input: "xo", output: "dyo")
            let dxIndex = shape(q, input: "dxo", output: "dyo").inputIndex
            p.print("// φ[\(q)]: \(sh.description)")
            p.block("do") { p in
                p.print("let w = c[\(q)]")
                p.print("var g: \(s) = 0")
                loops(sh.mixed, &p) { p in
                    if sh.inputOnly.isEmpty {
                        p.print("let s = x[\(sh.inputIndex)]")
                    } else {
                        p.print("var s: \(s) = 0")
                        loops(sh.inputOnly, &p) { $0.print("s += x[\(sh.inputIndex)]") }
                    }
                    if sh.outputOnly.isEmpty {
                        p.print("let t = dy[\(sh.outputIndex)]")
                    } else {
                        p.print("var t: \(s) = 0")
                        loops(sh.outputOnly, &p) { $0.print("t += dy[\(sh.outputIndex)]") }
                    }
                    p.print("g += s * t")
                    p.print("let wt = w * t")
                    loops(sh.inputOnly, &p) { $0.print("dx[\(dxIndex)] += wt") }
                }
                p.print("dc[\(q)] += g")
            }
        }
    }
}
