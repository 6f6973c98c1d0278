import GroupTheory

/// What `archsynth basis` prints: the dimensions, the method, the cross-check and the basis
/// (DESIGN.md "Command line").
///
/// JSON: `"dimension"`, `"biasDimension"`, `"method"`, `"certificate"` (why the basis is complete,
/// e.g. `"characters+orbits"`; see `Certificate`), `"crossCheck"`, and `"basis"` /
/// `"bias"` as one list of sparse entries `[row, column, value]` per element (bias entries
/// have column 0). Exact values are strings (`"1"`, `"-1/2"`), Float64 values numbers.
///
/// ```swift
/// let report = BasisReport(group: s4, input: "natural", output: "natural", basis: basis)
/// print(report.text)
/// ```
public struct BasisReport: Sendable {
    public let group: FiniteGroup
    public let inputText: String
    public let outputText: String
    public let basis: EquivariantBasis

    /// Largest number of nonzeros written as JSON (the text grows about 20 bytes per entry).
    public static let maxJSONEntries = 20_000_000

    public init(group: FiniteGroup, input: String, output: String, basis: EquivariantBasis) {
        self.group = group
        inputText = input
        outputText = output
        self.basis = basis
    }

    /// Nonzeros of the sparse elements, or the stored entries of a factored basis, plus the bias.
    public var totalNonzeros: Int {
        (basis.factored?.storedEntries ?? basis.elements.reduce(0) { $0 + $1.nonzeroCount })
            + basis.biasElements.reduce(0) { $0 + $1.nonzeroCount }
    }

    public var crossCheckText: String {
        let c = basis.crossCheck
        var parts: [String] = []
        if let w = c.characterDimension, let b = c.characterBiasDimension {
            parts.append("characters agree (⟨χ_in, χ_out⟩ = \(w), ⟨1, χ_out⟩ = \(b))")
        } else {
            parts.append(c.characterNote ?? "no character check")
        }
        parts.append(c.exactConstraintCheck
            ? "every element satisfies every generator constraint exactly"
            : "every element satisfies every generator constraint to relative residual \(c.residual)")
        return parts.joined(separator: "; ")
    }

    /// `characters+orbits (…; …)`: the certificates and what each one checked.
    public var certificateText: String {
        let c = basis.crossCheck
        return c.certificate + " (" + c.certificates.map(\.summary).joined(separator: "; ") + ")"
    }

    // MARK: Text

    public var text: String {
        var lines = [
            "group: \(group.name) (order \(group.order), by \(group.orderMethod))",
            "input: \(inputText) (dimension \(basis.inputDimension))",
            "output: \(outputText) (dimension \(basis.outputDimension))",
            "dimension: \(basis.dimension)",
            "biasDimension: \(basis.biasDimension)",
            "method: \(basis.method)\(basis.factored == nil ? "" : " (kept factored)")",
            "certificate: \(certificateText)",
            "cross-check: \(crossCheckText)",
        ]
        if let f = basis.factored {
            let sum: String
            switch f.blocks.count {
            case 0: sum = "0 (no irreducible type is shared), with"
            case 1: sum = "P_out K_1 P_in,"
            case 2: sum = "P_out (K_1 ⊕ K_2) P_in,"
            default: sum = "P_out (K_1 ⊕ … ⊕ K_\(f.blocks.count)) P_in,"
            }
            lines.append("factored: W(θ) = \(sum) P_in \(f.inputChange.rows)×\(f.inputDimension), P_out \(f.outputDimension)×\(f.outputChange.columns), \(f.storedEntries) stored entries instead of \(BasisReport.denseEntries(basis)) dense ones")
            for (p, b) in f.blocks.enumerated() {
                lines.append("  K_\(p + 1): irreducible of dimension \(b.irreducibleDimension), End dimension \(b.endomorphismDimension), \(b.outputCopies) output × \(b.inputCopies) input copies, \(b.parameterCount) parameters")
            }
            lines.append("(use --json or --format json -o FILE for the factors)")
        } else if let tying = basis.tying, tying.outputDimension <= 24, tying.inputDimension <= 24 {
            lines.append("weight tying (W[r, c] = ±θ_i, \".\" where zero):")
            lines += grid(rows: tying.outputDimension, columns: tying.inputDimension) { r, c in
                let x = r * tying.inputDimension + c
                return BasisReport.tie(tying.index[x], tying.sign[x])
            }
            lines.append("bias tying (b[r] = ±β_i): " + (0..<tying.outputDimension).map {
                BasisReport.tie(tying.biasIndex[$0], tying.biasSign[$0])
            }.joined(separator: " "))
        } else if basis.outputDimension * basis.inputDimension <= 64, basis.dimension <= 12 {
            for (i, element) in basis.elements.enumerated() {
                lines.append("B\(i):")
                lines += dense(element)
            }
            for (i, element) in basis.biasElements.enumerated() {
                lines.append("b\(i): " + dense(element).map { $0.trimmingLeadingSpaces }.joined(separator: " "))
            }
        } else {
            lines.append("(\(totalNonzeros) nonzeros: too large to show; use --json or --format npy -o DIR)")
        }
        return lines.joined(separator: "\n")
    }

    static func tie(_ index: Int32, _ sign: Int8) -> String {
        index < 0 ? "." : (sign < 0 ? "-" : "") + "\(index)"
    }

    func grid(rows: Int, columns: Int, cell: (Int, Int) -> String) -> [String] {
        let cells = (0..<rows).map { r in (0..<columns).map { c in cell(r, c) } }
        let width = cells.joined().map(\.count).max() ?? 1
        return cells.map { row in
            "  " + row.map { String(repeating: " ", count: width - $0.count) + $0 }.joined(separator: " ")
        }
    }

    func dense(_ element: BasisMatrix) -> [String] {
        var values = [[String]](repeating: [String](repeating: "0", count: element.columns), count: element.rows)
        for (k, e) in element.entries.enumerated() {
            values[e.row][e.column] = element.exactValues.map { $0[k].description } ?? "\(e.value)"
        }
        return grid(rows: element.rows, columns: element.columns) { values[$0][$1] }
    }

    // MARK: JSON

    public var json: JSONValue {
        let c = basis.crossCheck
        return .object([
            ("group", .string(group.name)),
            ("order", .string(group.order.description)),
            ("orderMethod", .string(group.orderMethod)),
            ("input", .string(inputText)),
            ("output", .string(outputText)),
            ("inputDimension", .int(basis.inputDimension)),
            ("outputDimension", .int(basis.outputDimension)),
            ("dimension", .int(basis.dimension)),
            ("biasDimension", .int(basis.biasDimension)),
            ("method", .string(basis.method.description)),
            ("exact", .bool(basis.isExact)),
            ("certificate", .string(c.certificate)),
            ("crossCheck", .object([
                ("characterDimension", c.characterDimension.map(JSONValue.int) ?? .null),
                ("characterBiasDimension", c.characterBiasDimension.map(JSONValue.int) ?? .null),
                ("note", c.characterNote.map(JSONValue.string) ?? .null),
                ("residual", .double(c.residual)),
                ("exactConstraintCheck", .bool(c.exactConstraintCheck)),
                ("certificates", .array(c.certificates.map { .string($0.rawValue) })),
            ])),
            basis.factored.map { ("factored", BasisReport.factoredJSON($0)) } ?? ("basis", .array(basis.elements.map(BasisReport.sparseJSON))),
            ("bias", .array(basis.biasElements.map(BasisReport.sparseJSON))),
        ])
    }

    /// dim · d_in · d_out as a decimal string (exact for any size).
    public static func denseEntries(_ basis: EquivariantBasis) -> String {
        (BigUInt(UInt64(basis.dimension)) * BigUInt(UInt64(basis.inputDimension)) * BigUInt(UInt64(basis.outputDimension))).description
    }

    /// The factors (see `FactoredIntertwiner`): `"inputChange"` (r_in rows of d_in values),
    /// `"outputChange"` (d_out rows of r_out values) and one entry per block with its copies,
    /// offsets and d × d maps (row-major lists of rows).
    static func factoredJSON(_ f: FactoredIntertwiner) -> JSONValue {
        func rows(_ m: Matrix) -> JSONValue {
            .array((0..<m.rows).map { r in .array((0..<m.columns).map { .double(m[r, $0]) }) })
        }
        return .object([
            ("formula", .string("W(θ) = P_out (K_1(θ) ⊕ … ⊕ K_r(θ)) P_in; block (j, i) of K_p is Σ_a θ[parameterOffset + (j · inputCopies + i) · e + a] · maps[a]")),
            ("inputChange", rows(f.inputChange)),
            ("outputChange", rows(f.outputChange)),
            ("blocks", .array(f.blocks.map { b in
                .object([
                    ("irreducibleDimension", .int(b.irreducibleDimension)),
                    ("endomorphismDimension", .int(b.endomorphismDimension)),
                    ("inputCopies", .int(b.inputCopies)),
                    ("outputCopies", .int(b.outputCopies)),
                    ("inputOffset", .int(b.inputOffset)),
                    ("outputOffset", .int(b.outputOffset)),
                    ("parameterOffset", .int(b.parameterOffset)),
                    ("maps", .array(b.maps.map(rows))),
                ])
            })),
        ])
    }

    /// `[[row, column, value], ...]`, exact values as strings.
    static func sparseJSON(_ element: BasisMatrix) -> JSONValue {
        .array(element.entries.enumerated().map { k, e in
            let value: JSONValue = element.exactValues.map { .string($0[k].description) } ?? .double(e.value)
            return .array([.int(e.row), .int(e.column), value])
        })
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop(while: { $0 == " " })) }
}
