import GroupTheory

/// The arrays of an emitted PyTorch module, collected before anything is printed: small ones
/// become Python literals in the module, basis arrays (tying tables, sparse bases, factors) and
/// anything above `PyTorchSupport.maximumEmbeddedEntries` go to the `.safetensors` file beside
/// it. Names are keys of one dictionary per file (`layer2.tiedIndex` in a network).
struct PyTorchConstants {
    enum Values {
        case int([Int])
        case sign([Int8])
        case real([ExactOrReal])
    }

    private(set) var entries: [(name: String, values: Values, basis: Bool)] = []

    mutating func add(_ name: String, int values: [Int], basis: Bool = false) { entries.append((name, .int(values), basis)) }
    mutating func add(_ name: String, sign values: [Int8], basis: Bool = false) { entries.append((name, .sign(values), basis)) }
    mutating func add(_ name: String, real values: [ExactOrReal], basis: Bool = false) { entries.append((name, .real(values), basis)) }

    static func count(_ v: Values) -> Int {
        switch v {
        case let .int(a): return a.count
        case let .sign(a): return a.count
        case let .real(a): return a.count
        }
    }

    private func inFile(_ e: (name: String, values: Values, basis: Bool)) -> Bool {
        e.basis || PyTorchConstants.count(e.values) > PyTorchSupport.maximumEmbeddedEntries
    }

    /// The file's tensors (empty when everything is embedded).
    func safetensors(fingerprint: String) -> SafetensorsFile {
        var file = SafetensorsFile(metadata: [("format", "archsynth-pytorch-1"), ("fingerprint", fingerprint)])
        for e in entries where inFile(e) {
            switch e.values {
            case let .int(a): file.add(e.name, int64: a)
            case let .sign(a): file.add(e.name, int8: a)
            case let .real(a): file.add(e.name, float64: a.map(\.doubleValue))
            }
        }
        return file
    }

    /// Total entries written to the file.
    var fileEntries: Int { entries.filter(inFile).reduce(0) { $0 + PyTorchConstants.count($1.values) } }

    /// `_EMBEDDED = {name: (kind, values), …}`: exact rationals as numerator and denominator lists
    /// (divided once in Python, correctly rounded), integers as integers, reals as round-trip literals.
    func printEmbedded(_ p: inout CodePrinter) {
        p.print("_EMBEDDED = {")
        p.withIndentation { p in
            for e in entries where !inFile(e) {
                let key = SwiftIdentifier.stringLiteral(e.name)
                switch e.values {
                case let .int(a): PyTorchConstants.printList(&p, "\(key): (\"int\", ", a.map(String.init), "),")
                case let .sign(a): PyTorchConstants.printList(&p, "\(key): (\"real\", ", a.map { "\($0).0" }, "),")
                case let .real(a):
                    if a.allSatisfy({ $0.fractionParts != nil }), !a.allSatisfy({ $0.integerValue != nil }) {
                        let parts = a.map { $0.fractionParts! }.map { (String($0.0), String($0.1)) }
                        p.print("\(key): (\"fraction\", (")
                        p.withIndentation { p in
                            PyTorchConstants.printList(&p, "", parts.map(\.0), ",")
                            PyTorchConstants.printList(&p, "", parts.map(\.1), ",")
                        }
                        p.print(")),")
                    } else {
                        PyTorchConstants.printList(&p, "\(key): (\"real\", ", a.map { SwiftLiteral.double($0.doubleValue) }, "),")
                    }
                }
            }
        }
        p.print("}")
    }

    /// `prefix[a, b, …]suffix`, wrapped 16 items a line.
    static func printList(_ p: inout CodePrinter, _ prefix: String, _ items: [String], _ suffix: String) {
        if items.count <= 16 {
            p.print(prefix + "[" + items.joined(separator: ", ") + "]" + suffix)
            return
        }
        p.print(prefix + "[")
        p.withIndentation { p in
            var i = 0
            while i < items.count {
                p.print(items[i..<min(i + 16, items.count)].joined(separator: ", ") + ",")
                i += 16
            }
        }
        p.print("]" + suffix)
    }
}
