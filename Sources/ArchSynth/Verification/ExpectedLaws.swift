import ArchSynthRuntime
import Foundation
import GroupTheory

/// What archsynth expects a generated template or block to obey, rebuilt from the kind and the
/// parameters its header records (the `// Verification: {…}` line), never from the file's own
/// `laws`, thresholds or element tables (DESIGN.md "Verification trusts nothing in the file").
///
/// Per kind, the law is the one the emitter states, built here from the parameters:
/// - `swap-inversion` (`form`, `input`): C₂ swapping A and B, inverting the output matrix
///   (affine, rigid) or negating the velocity field (svf); threshold 1e-10.
/// - `swap-inversion-two-step` (`affine`, `field`, `input`): the swap negating g ⊕ v; 1e-10.
/// - `coordinate-attention` (`height`, `width`): [W,U] on the resultants, all pairs up to 4,096
///   of them, else the generators and 59 seeded random pairs; 1e-10.
/// - `coordinate-attention-correspondence` (`specs`, `representations`): G₁ × G₂ by point
///   permutations, every element (enumerated here from the specs); 1e-12.
/// - `unrolled-gradient` (`spec`, `x`, `context`): the group on x and c, every element (the
///   matrices computed here from the spec); 1e-10.
/// - `unrolled-fixed-point` (`width`, optional `height`): [U,U] translations of both signals;
///   every shift up to `maxFixedPointShifts` grid points, above that the identity, the unit
///   shifts and seeded random ones (`sampledFixedPointShifts` in all); 1e-10. The K sweep is run only up to 64 grid points, as `generate` prints it. A block on
///   more than `maxGridPoints` points (default 4,096, `--max-grid-points N`) is refused before
///   anything is compiled: one forward pass costs about points · (H + W) · K operations and the
///   check needs over a thousand.
///
/// ```swift
/// let expected = try ExpectedLaws(headerOf: source)
/// expected.kind   // "swap-inversion"
/// ```
public struct ExpectedLaws: Sendable {
    public struct Entry: Sendable {
        /// A Swift expression building the runtime `Law` the harness checks.
        public let expression: String
        public let threshold: Double
        /// The element count and completeness of the law as the generator states it (what the
        /// file must declare), which may be more elements than the harness checks.
        /// (nil: not compared, for sampled laws whose count depends on the sampling).
        public let declaredElementCount: Int?
        public let declaredComplete: Bool

        public init(expression: String, threshold: Double, declaredElementCount: Int?, declaredComplete: Bool) {
            self.expression = expression
            self.threshold = threshold
            self.declaredElementCount = declaredElementCount
            self.declaredComplete = declaredComplete
        }
    }

    /// Laws stated directly, for models archsynth does not generate (a library user's own
    /// `LawfulModel`, test fixtures): the caller, not the file, says what must hold.
    public init(kind: String, inputSizes: [Int], outputSize: Int, laws: [Entry], sweep: Bool = false) {
        self.kind = kind
        self.inputSizes = inputSizes
        self.outputSize = outputSize
        self.laws = laws
        self.sweep = sweep
        specs = []
    }

    public let kind: String
    public let inputSizes: [Int]
    public let outputSize: Int
    public let laws: [Entry]
    /// Whether the harness prints the K sweep (`stepSweep`).
    public let sweep: Bool
    /// The specs the law was built from (for `--spec`), empty for kinds without one.
    public let specs: [String]

    /// Header line prefix of the machine-readable parameters.
    public static let headerPrefix = "// Verification: "
    /// Largest number of grid points for which a fixed-point block's every shift is checked.
    public static let maxFixedPointShifts = 1_024
    /// Shifts checked above `maxFixedPointShifts` (the identity, the unit shifts and seeded random ones).
    public static let sampledFixedPointShifts = 64
    /// Largest grid (points) for which the fixed-point K sweep is run.
    public static let maxSweepPoints = 64
    /// Default largest fixed-point grid `verify` checks (`--max-grid-points N`).
    public static let defaultMaxGridPoints = 4_096

    /// The `// Verification: {…}` header line for `kind` and its parameters (JSON, one line: any
    /// control character in a value is escaped, so no value can start a new line of code).
    public static func headerLine(kind: String, _ parameters: [(String, JSONValue)]) -> String {
        headerPrefix + JSONValue.object([("kind", .string(kind))] + parameters).rendered(pretty: false)
    }

    /// The parameters recorded in the header of `source` (lines before the first `import`).
    public static func headerParameters(_ source: String) throws(VerificationError) -> JSONValue {
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("import ") { break }
            guard line.hasPrefix(headerPrefix) else { continue }
            do { return try JSONValue(parsing: String(line.dropFirst(headerPrefix.count))) } catch {
                throw .notAGeneratedLayer("the header's verification parameters are not valid JSON (\(error)); regenerate the file")
            }
        }
        throw .notAGeneratedLayer("no `\(headerPrefix.trimmingCharacters(in: .whitespaces))` header line naming the kind and parameters (files from an older archsynth: regenerate them)")
    }

    /// Rebuilds the expected laws from the header of `source`.
    /// - Parameter spec: `--spec` given on the command line; it must be the header's spec (for kinds
    ///   with one) and is then used to resolve the group; for kinds without a spec it is an error.
    /// - Parameter maxGridPoints: the largest fixed-point grid checked (`--max-grid-points`).
    public init(
        headerOf source: String, spec: String? = nil, resolver: GroupResolver = GroupResolver(), maxGridPoints: Int = ExpectedLaws.defaultMaxGridPoints
    ) throws(VerificationError) {
        let p = try Self.headerParameters(source)
        func string(_ key: String) throws(VerificationError) -> String {
            guard let v = p[key]?.stringValue, !v.isEmpty else { throw .notAGeneratedLayer("the header's verification parameters lack \"\(key)\"") }
            return v
        }
        func int(_ key: String) throws(VerificationError) -> Int {
            guard let v = p[key]?.intValue, v >= 1 else { throw .notAGeneratedLayer("the header's verification parameters lack a positive \"\(key)\"") }
            return v
        }
        let kind = try string("kind")
        self.kind = kind
        func noSpec() throws(VerificationError) {
            if let spec { throw .specMismatch("--spec \(spec) does not apply to a \(kind) file: its law is rebuilt from the header's parameters, not from a group spec; drop --spec") }
        }
        func checkedSpec(_ recorded: String) throws(VerificationError) -> String {
            guard let spec else { return recorded }
            guard GeneratedFileHeader.withoutAbsolutePath(spec) == recorded else {
                throw .specMismatch("--spec \(spec) is not the spec this file was generated from (the header records \(recorded)); verify it with --spec \(recorded) or regenerate it")
            }
            return spec
        }
        func group(_ text: String) throws(VerificationError) -> FiniteGroup {
            do { return try resolver.resolve(text) } catch {
                throw .specMismatch("cannot build the group \(text) that the header records (\(error)); pass the spec file with --spec PATH")
            }
        }
        switch kind {
        case "swap-inversion", "swap-inversion-two-step":
            try noSpec()
            let input = try int("input")
            let formText = try string(kind == "swap-inversion" ? "form" : "field")
            guard let form = SwapInversionForm(formText) else { throw .notAGeneratedLayer("the header's form \"\(formText)\" is not a swap-inversion form") }
            inputSizes = [input, input]
            if kind == "swap-inversion-two-step" {
                guard try string("affine") == "affine:2", case .svf = form else { throw .notAGeneratedLayer("the header's two-step forms are not affine:2 and svf:HxW") }
                outputSize = 9 + form.algebraSize
                laws = [Entry(expression: "ArchSynthRuntime.Law.swap(output: .negate)", threshold: 1e-10, declaredElementCount: 2, declaredComplete: true)]
            } else if let n = form.matrixSize {
                outputSize = n * n
                laws = [Entry(expression: "ArchSynthRuntime.Law.swap(output: .inverseMatrix(\(n)))", threshold: 1e-10, declaredElementCount: 2, declaredComplete: true)]
            } else {
                outputSize = form.algebraSize
                laws = [Entry(expression: "ArchSynthRuntime.Law.swap(output: .negate)", threshold: 1e-10, declaredElementCount: 2, declaredComplete: true)]
            }
            sweep = false
            specs = []
        case "coordinate-attention":
            try noSpec()
            let h = try int("height"), w = try int("width"), n = h * w
            let limit = 4096
            inputSizes = [n, n]
            outputSize = 4 * n
            let complete = n * n <= limit
            // [W,U] on the resultants and in the coordinates they define (grid units).
            laws = ["wuLaw", "wuLawInCoordinates"].map { law in
                Entry(
                    expression: "ArchSynthRuntime.CoordinateAttention.\(law)(grid: ArchSynthRuntime.PeriodicGrid(height: \(h), width: \(w)), inputChannels: 1, completeLimit: \(limit))",
                    threshold: 1e-10, declaredElementCount: complete ? n * n : nil, declaredComplete: complete)
            }
            sweep = false
            specs = []
        case "unrolled-fixed-point":
            try noSpec()
            let w = try int("width")
            let h = p["height"] == nil ? nil : try int("height")
            let (n, overflow) = (h ?? 1).multipliedReportingOverflow(by: w)
            guard !overflow, n <= maxGridPoints else {
                throw .tooLarge("the fixed-point block's grid has \(overflow ? "too many" : "\(n)") points, above verify's limit of \(maxGridPoints): one forward pass costs about points · (H + W) · K operations and the law check needs over a thousand passes; raise the limit with --max-grid-points N (and --timeout SECONDS), or verify the same block generated on a smaller grid")
            }
            inputSizes = [n, n]
            outputSize = h == nil ? 1 : 2
            let shifts: [Int]
            if n <= Self.maxFixedPointShifts {
                shifts = Array(0..<n)
            } else {
                var rng = RuntimeRandom(seed: 0xF1C5)
                var s = [0, 1, h == nil ? 2 : w]
                while s.count < Self.sampledFixedPointShifts { s.append(rng.index(n)) }
                shifts = s
            }
            let list = shifts.map(String.init).joined(separator: ", ")
            if let h {
                laws = [Entry(
                    expression: "ArchSynthRuntime.UnrolledFixedPoint2D.diagonalLaw(height: \(h), width: \(w), shifts: [\(shifts.map { "(y: \($0 / w), x: \($0 % w))" }.joined(separator: ", "))])",
                    threshold: 1e-10, declaredElementCount: n, declaredComplete: true)]
            } else {
                laws = [Entry(
                    expression: "ArchSynthRuntime.UnrolledFixedPoint.diagonalLaw(count: \(n), shifts: [\(list)])", threshold: 1e-10, declaredElementCount: n,
                    declaredComplete: true)]
            }
            sweep = n <= Self.maxSweepPoints
            specs = []
        case "coordinate-attention-correspondence":
            guard let s = p["specs"]?.arrayValue?.compactMap(\.stringValue), s.count == 2,
                  let r = p["representations"]?.arrayValue?.compactMap(\.stringValue), r.count == 2
            else { throw .notAGeneratedLayer("the header's verification parameters lack two \"specs\" and two \"representations\"") }
            if let spec, !s.contains(GeneratedFileHeader.withoutAbsolutePath(spec)) {
                throw .specMismatch("--spec \(spec) is not one of the specs this file was generated from (the header records \(s[0]) and \(s[1])); regenerate it")
            }
            func side(_ specText: String, _ rep: String) throws(VerificationError) -> [[Int]] {
                let g = try group(spec.map { GeneratedFileHeader.withoutAbsolutePath($0) == specText ? $0 : specText } ?? specText)
                do {
                    let rho = try g.representation(for: try RepresentationExpression(parsing: rep))
                    guard case let .permutation(gens) = rho.images else { throw VerificationError.specMismatch("\(rep) is not a permutation representation of \(specText)") }
                    guard let list = CorrespondenceTemplate.pointPermutations(generatedBy: gens, degree: rho.dimension) else {
                        throw VerificationError.specMismatch("\(specText) acts on \(rep) by more than \(CorrespondenceTemplate.maxElements) permutations")
                    }
                    return list
                } catch let e as VerificationError { throw e } catch { throw .specMismatch("cannot build \(rep) of \(specText): \(error)") }
            }
            let a = try side(s[0], r[0]), b = try side(s[1], r[1])
            func literal(_ l: [[Int]]) -> String { "([" + l.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "] as [[Swift.Int]])" }
            inputSizes = [a[0].count, b[0].count]
            outputSize = a[0].count * b[0].count
            laws = [Entry(
                expression: "ArchSynthRuntime.SoftCorrespondence.law(elementsA: \(literal(a)), elementsB: \(literal(b)))", threshold: 1e-12,
                declaredElementCount: a.count * b.count, declaredComplete: true)]
            sweep = false
            specs = s
        case "unrolled-gradient":
            let recorded = try string("spec")
            let g = try group(try checkedSpec(recorded))
            let xText = try string("x"), cText = try string("context")
            let table: GroupActionTable
            do {
                let rx = try g.representation(for: try RepresentationExpression(parsing: xText))
                let rc = try g.representation(for: try RepresentationExpression(parsing: cText))
                table = try GroupActionTable(group: g, representations: [rx, rc], maxElements: UnrolledGradientBlock.Limits().maxLawElements)
            } catch { throw .specMismatch("cannot build the actions on x = \(xText), c = \(cText) of \(recorded): \(error)") }
            let (nx, nc) = (table.dimensions[0], table.dimensions[1])
            func literal(_ ms: [[Double]]) -> String {
                "([" + ms.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",\n") + "] as [[Swift.Double]])"
            }
            inputSizes = [nx, nc]
            outputSize = nx
            laws = [Entry(
                expression: """
                    ArchSynthRuntime.Law.linear(name: \(SwiftIdentifier.stringLiteral("\(recorded) on (x: \(xText), c: \(cText)) → x")),
                        inputs: [\(literal(table.matrices[0])).map { ArchSynthRuntime.LinearAction.matrix($0, \(nx)) }, \(literal(table.matrices[1])).map { ArchSynthRuntime.LinearAction.matrix($0, \(nc)) }],
                        output: \(literal(table.matrices[0])).map { ArchSynthRuntime.LinearAction.matrix($0, \(nx)) }, isComplete: true)
                    """,
                threshold: 1e-10, declaredElementCount: table.elementCount, declaredComplete: true)]
            sweep = true
            specs = [recorded]
        case "registration-carl":
            // A trained CARL-style model (`generate template registration --from-model`): [W,U] on
            // the resultants for shifts that are multiples of the pooling factor.
            try noSpec()
            let size = try int("size"), step = try int("step"), n = size * size
            guard size % step == 0, size / step >= 3, n <= 512 * 512 else {
                throw .notAGeneratedLayer("the header's registration size \(size) and pooling \(step) are not a valid carl model")
            }
            inputSizes = [n, n]
            outputSize = 4 * n
            laws = [Entry(
                expression: "ArchSynthRuntime.CarlRegistration.wuResultantLaw(size: \(size), step: \(step))", threshold: 1e-8,
                declaredElementCount: CarlRegistration.wuResultantLaw(size: size, step: step).elementCount, declaredComplete: false)]
            sweep = false
            specs = []
        default:
            throw .notAGeneratedLayer("the header names the kind \"\(kind)\", which archsynth does not generate")
        }
    }
}
