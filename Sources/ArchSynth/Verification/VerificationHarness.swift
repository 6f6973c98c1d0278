import Foundation
import GroupTheory

/// `archsynth verify FILE.swift`: compiles generated layer files together with a generated
/// `main.swift` (swiftc -O, Swift 6 mode, in a temporary directory removed afterwards) that
/// reads each layer's static API, enumerates the acting group from the embedded generator
/// actions (breadth-first closure up to `maxElements`, else every generator plus random words),
/// draws random parameters and runs the out-of-distribution input families on the Float and
/// Double forward passes.
///
/// ```swift
/// let reports = try VerificationHarness().verify(files: [url])
/// reports[0].passed
/// ```
public struct VerificationHarness: Sendable {
    public var options: VerificationOptions
    /// Extra compiler flags (tests add `-warnings-as-errors`).
    public var compilerFlags: [String]
    /// The compiler: `$ARCHSYNTH_SWIFTC`, else `swiftc` on the PATH.
    public var swiftc: String

    public init(options: VerificationOptions = VerificationOptions(), compilerFlags: [String] = []) {
        self.options = options
        self.compilerFlags = compilerFlags
        swiftc = Subprocess.swiftc
    }

    /// The layer type a generated file declares: its `// Type: NAME` header line, else the first
    /// `public struct NAME`.
    public static func typeName(inSource text: String) throws(VerificationError) -> String {
        try typeNames(inSource: text)[0]
    }

    /// Every layer type a file declares, in order: `// Type: NAME` header lines and every
    /// top-level `public struct NAME` (a second type appended to a generated file is checked
    /// too, not only the first).
    public static func typeNames(inSource text: String) throws(VerificationError) -> [String] {
        var names: [String] = []
        func add(_ name: String) { if !name.isEmpty, !names.contains(name) { names.append(name) } }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("// Type: ") {
                let name = String(line.dropFirst("// Type: ".count)).trimmingCharacters(in: .whitespaces)
                if (try? SwiftIdentifier.validateTypeName(name)) != nil { add(name) }
            } else if line.hasPrefix("public struct ") {
                let rest = line.dropFirst("public struct ".count)
                add(String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }))
            }
        }
        guard !names.isEmpty else {
            throw .notAGeneratedLayer("no `// Type:` header line and no `public struct` declaration")
        }
        return names
    }

    /// Double threshold for layer files whose basis is exact (monomial orbits, exact
    /// elimination, closed forms): their only error is Float64 rounding, so a table changed
    /// by 1e-10 relative must fail. Float64 bases (`float-nullspace`, `isotypic-schur`) and
    /// networks (nonlinearities) keep `VerificationOptions.doubleThreshold`.
    public static let exactDoubleThreshold = 1e-12

    /// Compiles all `files` in one swiftc invocation and checks every layer type they declare.
    ///
    /// - Parameter extraMain: Swift statements appended to the harness `main.swift` (tests use it
    ///   to run further checks on the compiled layers; a non-zero exit fails the run).
    /// - Parameter spec: the group actions to check against, taken from the spec (`verify FILE
    ///   --spec`); `nil` uses the actions baked into each file. With a spec, a file whose
    ///   generator names or dimensions differ from the spec's throws `.specMismatch`.
    public func verify(files: [URL], extraMain: String = "", spec: SpecActions? = nil) throws(VerificationError) -> [VerificationReport] {
        var typeNames: [String] = []
        var typeFiles: [URL] = []
        var exactTypes = Set<Int>()
        var sources: [(name: String, text: String)] = []
        for (i, file) in files.enumerated() {
            guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
                throw .unreadable(file.path)
            }
            let names: [String]
            do { names = try VerificationHarness.typeNames(inSource: text) } catch {
                throw .notAGeneratedLayer("\(file.lastPathComponent): \(error)")
            }
            // Layers (they declare basisMethod) whose every basis method is exact.
            let methods = text.split(separator: "\n").filter { $0.contains("public static let basisMethod = ") }
            if !methods.isEmpty, !methods.contains(where: { $0.contains("float") || $0.contains("isotypic") }) {
                for k in names.indices { exactTypes.insert(typeNames.count + k) }
            }
            typeNames += names
            typeFiles += names.map { _ in file }
            sources.append(("Layer\(i)_\(names[0]).swift", text))
        }
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("archsynth-verify-\(UUID().uuidString)")
        do { try fm.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw .io("cannot create \(dir.path): \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(at: dir) }
        var paths: [String] = []
        do {
            for s in sources {
                let url = dir.appendingPathComponent(s.name)
                try s.text.write(to: url, atomically: false, encoding: .utf8)
                paths.append(url.path)
            }
            let main = dir.appendingPathComponent("main.swift")
            try (VerificationHarness.mainSource(typeNames: typeNames, options: options, spec: spec) + extraMain).write(to: main, atomically: false, encoding: .utf8)
            paths.append(main.path)
        } catch {
            throw .io("cannot write the harness: \(error.localizedDescription)")
        }
        let binary = dir.appendingPathComponent("verify").path
        // Generated networks import ArchSynthRuntime: compile against the runtime module.
        var runtimeFlags: [String] = []
        if sources.contains(where: { ModelVerificationHarness.importsRuntime($0.text) }) {
            let runtime = try RuntimeModule.build(swiftc: swiftc, optimization: options.optimization)
            runtimeFlags = ["-I", runtime.path, "-L", runtime.path, "-lArchSynthRuntime"]
        }
        let compile = Subprocess.run(
            [swiftc, options.optimization, "-swift-version", "6", "-module-name", "ArchSynthVerify"] + runtimeFlags + compilerFlags + paths
                + ["-o", binary],
            in: dir)
        guard compile.status == 0 else {
            let names = files.map(\.lastPathComponent).joined(separator: ", ")
            throw .compilationFailed(files: names, flags: ([options.optimization] + compilerFlags).joined(separator: " "), output: compile.output.replacingOccurrences(of: dir.path + "/", with: ""))
        }
        let result = Subprocess.run([binary], in: dir)
        guard result.status == 0 else { throw .harnessFailed(result.output) }
        return try parse(result.output, typeNames: typeNames, files: typeFiles, spec: spec, exactTypes: exactTypes)
    }

    private func parse(
        _ output: String, typeNames: [String], files: [URL], spec: SpecActions?, exactTypes: Set<Int>
    ) throws(VerificationError) -> [VerificationReport] {
        var reports: [VerificationReport] = []
        for (i, name) in typeNames.enumerated() {
            var count = 0, complete = false
            var declaredOrder: String?
            let exact = exactTypes.contains(i)
            var results: [VerificationReport.FamilyResult] = []
            for line in output.split(separator: "\n") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard f.count >= 3, f[0] == "archsynth-verify", f[1] == "\(i)" else { continue }
                if f[2] == "mismatch", f.count == 4 {
                    throw .specMismatch("\(files[i].lastPathComponent) (\(name)) does not fit \(spec?.subject ?? "the spec"): \(f[3])")
                }
                if f[2] == "elements", f.count == 5 {
                    count = Int(f[3]) ?? 0
                    complete = f[4] == "1"
                } else if f[2] == "metadata", f.count == 4 {
                    declaredOrder = f[3]
                } else if f[2] == "family", f.count == 6 {
                    results.append(.init(family: f[3], floatError: Double(f[4]) ?? .infinity, doubleError: Double(f[5]) ?? .infinity))
                }
            }
            guard results.count == OutOfDistributionInputs.allCases.count, let declaredOrder else {
                throw .harnessFailed("incomplete output for \(name):\n\(output)")
            }
            // The file's metadata against what the harness enumerated: the generator actions
            // generate a quotient of the group, whose order divides the declared one.
            let subject = "\(files[i].lastPathComponent) (\(name))"
            guard let order = BigUInt(decimal: declaredOrder), !declaredOrder.isEmpty, order > BigUInt(0) else {
                throw .metadataMismatch(subject: subject, reason: "groupOrder \"\(declaredOrder)\" is not a positive decimal integer")
            }
            if complete {
                var quotient = order
                if count <= 0 || quotient.divide(bySmall: UInt64(count)) != 0 {
                    throw .metadataMismatch(
                        subject: subject,
                        reason: "the generator actions generate \(count) elements, which does not divide groupOrder \(declaredOrder)")
                }
            }
            reports.append(
                VerificationReport(
                    subject: subject + (spec.map { " against \($0.subject)" } ?? " against its own actions"), elementCount: count, allElements: complete,
                    parameterDraws: options.parameterDraws, results: results, floatThreshold: options.floatThreshold,
                    doubleThreshold: exact ? min(options.doubleThreshold, VerificationHarness.exactDoubleThreshold) : options.doubleThreshold))
        }
        return reports
    }

    /// The harness `main.swift` for the given layer types (warning-free in Swift 6 mode).
    public static func mainSource(typeNames: [String], options: VerificationOptions, spec: SpecActions? = nil) -> String {
        var p = CodePrinter()
        p.print("""
            // archsynth verify harness (generated; compiled with the layer files, then deleted).
            import Foundation

            struct HarnessRNG {
                var state: UInt64
                mutating func next() -> UInt64 {
                    state &+= 0x9E37_79B9_7F4A_7C15
                    var z = state
                    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                    return z ^ (z >> 31)
                }
                mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
                mutating func normal() -> Double {
                    let u = 1 - unit()
                    let v = unit()
                    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
                }
            }

            let families = ["standard-normal", "normal-x1e4", "normal-x1e-4", "cauchy", "one-hot", "constant"]

            func sample(_ family: Int, _ d: Int, _ rng: inout HarnessRNG) -> [Double] {
                switch family {
                case 0: return (0..<d).map { _ in rng.normal() }
                case 1: return (0..<d).map { _ in 1e4 * rng.normal() }
                case 2: return (0..<d).map { _ in 1e-4 * rng.normal() }
                case 3: return (0..<d).map { _ in tan(Double.pi * (rng.unit() - 0.5)) }
                case 4:
                    var x = [Double](repeating: 0, count: d)
                    if d > 0 { x[Int(rng.next() % UInt64(d))] = 1 }
                    return x
                default:
                    let c = rng.normal()
                    return [Double](repeating: c, count: d)
                }
            }

            func relativeError(_ a: [Double], _ b: [Double]) -> Double {
                var diff = 0.0, na = 0.0, nb = 0.0
                for i in 0..<a.count {
                    diff += (a[i] - b[i]) * (a[i] - b[i])
                    na += a[i] * a[i]
                    nb += b[i] * b[i]
                }
                if diff.isNaN { return .infinity }
                let scale = max(na, nb)
                return scale > 0 ? (diff / scale).squareRoot() : 0
            }

            /// Breadth-first closure of the generator actions on input ⊕ output, keyed by the image of a
            /// random probe vector; nil when it exceeds `limit` elements.
            func closure(
                generators k: Int, dIn: Int, dOut: Int, limit: Int, seed: UInt64,
                actIn: (Int, [Double]) -> [Double], actOut: (Int, [Double]) -> [Double]
            ) -> (words: [[Int]], parent: [Int], generator: [Int])? {
                var rng = HarnessRNG(state: seed)
                let pIn = (0..<dIn).map { _ in rng.unit() * 2 - 1 }
                let pOut = (0..<dOut).map { _ in rng.unit() * 2 - 1 }
                func key(_ a: [Double], _ b: [Double]) -> [Int64] { (a + b).map { Int64(($0 * 1e6).rounded()) } }
                var seen: Set<[Int64]> = [key(pIn, pOut)]
                var queue: [([Int], [Double], [Double])] = [([], pIn, pOut)]
                var parent = [-1], generator = [-1]
                var i = 0
                while i < queue.count {
                    let (w, a, b) = queue[i]
                    i += 1
                    for g in 0..<k {
                        let a2 = actIn(g, a), b2 = actOut(g, b)
                        if seen.insert(key(a2, b2)).inserted {
                            if queue.count >= limit { return nil }
                            queue.append((w + [g], a2, b2))
                            parent.append(i - 1)
                            generator.append(g)
                        }
                    }
                }
                return (queue.map { $0.0 }, parent, generator)
            }

            func report(_ index: Int, _ label: String, _ value: String) {
                print("archsynth-verify\\t\\(index)\\t\\(label)\\t\\(value)")
            }
            """)
        if let spec {
            p.print()
            p.print(SpecActions.supportSource)
            p.print()
            p.print(spec.declarations(suffix: ""))
        }
        for (i, t) in typeNames.enumerated() {
            p.print()
            p.print("""
                do {
                    typealias L = \(t)
                    let k = L.generatorNames.count
                """)
            if spec != nil {
                p.print("""
                        let actIn: (Int, [Double]) -> [Double] = { specIn.act($0, $1) }
                        let actOut: (Int, [Double]) -> [Double] = { specOut.act($0, $1) }
                        var problems: [String] = []
                        if L.generatorNames != specNames {
                            problems.append("generators \\(L.generatorNames) in the file, \\(specNames) in the spec")
                        }
                        if L.inputDimension != specIn.dimension {
                            problems.append("input dimension \\(L.inputDimension) in the file, \\(specIn.dimension) in the spec")
                        }
                        if L.outputDimension != specOut.dimension {
                            problems.append("output dimension \\(L.outputDimension) in the file, \\(specOut.dimension) in the spec")
                        }
                    """)
            } else {
                p.print("""
                        let actIn: (Int, [Double]) -> [Double] = { L.actOnInput(generator: $0, $1) }
                        let actOut: (Int, [Double]) -> [Double] = { L.actOnOutput(generator: $0, $1) }
                        let problems: [String] = []
                    """)
            }
            p.print("""
                    if !problems.isEmpty { report(\(i), "mismatch", problems.joined(separator: "; ")) } else {
                    var rng = HarnessRNG(state: \(options.seed))
                    var words: [[Int]]
                    var complete = true
                    // The closure's breadth-first tree (element i = element parent[i], then generator[i]):
                    // each element's images are one action away from its parent's (depth-first walk).
                    var children: [[Int]] = []
                    if let all = closure(
                        generators: k, dIn: L.inputDimension, dOut: L.outputDimension, limit: \(options.maxElements), seed: \(options.seed),
                        actIn: actIn, actOut: actOut)
                    {
                        words = all.words
                        children = [[Int]](repeating: [], count: words.count)
                        for e in 1..<max(1, words.count) { children[all.parent[e]].append(e) }
                    } else {
                        complete = false
                        words = (0..<k).map { [$0] }
                        for _ in 0..<(k > 0 ? \(options.randomWords) : 0) {
                            words.append((0..<(1 + Int(rng.next() % 24))).map { _ in Int(rng.next() % UInt64(k)) })
                        }
                    }
                    report(\(i), "elements", "\\(words.count)\\t\\(complete ? 1 : 0)")
                    report(\(i), "metadata", L.groupOrder)
                    var worstF = [Double](repeating: 0, count: families.count)
                    var worstD = [Double](repeating: 0, count: families.count)
                    for draw in 0..<\(options.parameterDraws) {
                        let weights = (0..<L.weightCount).map { _ in Float(rng.unit() * 2 - 1) }
                        let bias = (0..<L.biasCount).map { _ in draw % 2 == 1 ? Float(0) : Float(rng.unit() * 2 - 1) }
                        let layer = L(weights: weights, bias: bias)
                        for f in 0..<families.count {
                            for _ in 0..<\(options.samplesPerFamily) {
                                let xf = sample(f, L.inputDimension, &rng).map { Float($0) }
                                let x = xf.map { Double($0) }
                                let fxF = layer.forward(xf).map { Double($0) }
                                let fxD = layer.forward(x)
                                if complete {
                                    func walk(_ e: Int, _ gx: [Double], _ gfF: [Double], _ gfD: [Double]) {
                                        let outF = layer.forward(gx.map { Float($0) }).map { Double($0) }
                                        worstF[f] = max(worstF[f], relativeError(outF, gfF))
                                        worstD[f] = max(worstD[f], relativeError(layer.forward(gx), gfD))
                                        for c in children[e] {
                                            let g = words[c][words[c].count - 1]
                                            walk(c, actIn(g, gx), actOut(g, gfF), actOut(g, gfD))
                                        }
                                    }
                                    walk(0, x, fxF, fxD)
                                    continue
                                }
                                for word in words {
                                    var gx = x, gfF = fxF, gfD = fxD
                                    for g in word {
                                        gx = actIn(g, gx)
                                        gfF = actOut(g, gfF)
                                        gfD = actOut(g, gfD)
                                    }
                                    let outF = layer.forward(gx.map { Float($0) }).map { Double($0) }
                                    worstF[f] = max(worstF[f], relativeError(outF, gfF))
                                    worstD[f] = max(worstD[f], relativeError(layer.forward(gx), gfD))
                                }
                            }
                        }
                    }
                    for f in 0..<families.count {
                        report(\(i), "family", "\\(families[f])\\t\\(worstF[f])\\t\\(worstD[f])")
                    }
                    }
                }
                """)
        }
        return p.content
    }
}

/// Why `archsynth verify FILE.swift` could not check a file (a failing check is not an error:
/// it is a report that does not pass).
public enum VerificationError: Error, CustomStringConvertible, Sendable {
    case unreadable(String)
    case notAGeneratedLayer(String)
    case io(String)
    case compilationFailed(files: String, flags: String, output: String)
    case harnessFailed(String)
    /// The file does not fit the spec it is checked against (generators, dimensions).
    case specMismatch(String)
    /// The file's metadata disagree with what its compiled code does.
    case metadataMismatch(subject: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path): return "cannot read \(path)"
        case let .notAGeneratedLayer(why): return "not a layer generated by archsynth: \(why)"
        case let .io(message): return message
        case let .compilationFailed(files, flags, output):
            return "\(files) does not compile with the verification harness (swiftc -swift-version 6 \(flags)):\n\(output)"
        case let .harnessFailed(output): return "the verification harness failed:\n\(output)"
        case let .specMismatch(message): return message
        case let .metadataMismatch(subject, reason):
            return "\(subject) fails verification: \(reason); the file was edited or is not what archsynth generated (regenerate it)"
        }
    }
}
