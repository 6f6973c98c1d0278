import Foundation
import GroupTheory

/// The group actions `archsynth verify FILE.swift --spec SPEC --in EXPR --out EXPR` checks a
/// generated file against: the generator images of the input and output representations built
/// from the spec, not the `actOnInput` / `actOnOutput` baked into the file. A file whose kernel
/// and baked actions are consistently wrong then fails.
///
/// The harness receives the images as sparse literals (one string of `row column value`
/// triples per generator, parsed at run time so that large actions do not load the type
/// checker). Convention: column vectors, y = ρ(g) x, so entry (row, column, value) adds
/// value · x[column] to y[row].
///
/// ```swift
/// let actions = try SpecActions(subject: "symmetric:5 --in natural --out natural", generatorNames: s5.generators,
///                               input: natural, output: natural)
/// ```
public struct SpecActions: Sendable {
    /// What the actions were built from, for reports (`SPEC --in EXPR --out EXPR`).
    public let subject: String
    public let generatorNames: [String]
    public let inputDimension: Int
    public let outputDimension: Int
    /// Per generator, `row column value` triples of ρ_in(g).
    let inputTriples: [String]
    let outputTriples: [String]

    /// Largest number of nonzero entries over all generator images passed to the harness.
    /// Default 20 000 000 (about 20 bytes of source text each).
    public static let maxEntries = 20_000_000

    public init(subject: String, generatorNames: [String], input: Representation, output: Representation) throws(VerificationError) {
        guard input.generatorCount == generatorNames.count, output.generatorCount == generatorNames.count else {
            throw .specMismatch("the spec's representations have \(input.generatorCount) and \(output.generatorCount) generator images for \(generatorNames.count) generators")
        }
        self.subject = subject
        self.generatorNames = generatorNames
        inputDimension = input.dimension
        outputDimension = output.dimension
        let entries = (input.dimension + output.dimension) * max(1, generatorNames.count)
        let denseEntries = input.monomialImages == nil || output.monomialImages == nil
            ? (input.dimension * input.dimension + output.dimension * output.dimension) * generatorNames.count : entries
        guard denseEntries <= SpecActions.maxEntries else {
            throw .specMismatch("the spec's generator images have up to \(denseEntries) entries, above the harness limit of \(SpecActions.maxEntries); verify a smaller representation")
        }
        inputTriples = SpecActions.triples(input)
        outputTriples = SpecActions.triples(output)
    }

    static func triples(_ r: Representation) -> [String] {
        if let monomial = r.monomialImages {
            return monomial.map { p in
                (0..<p.degree).map { i in "\(p.images[i]) \(i) \(p.signs[i] < 0 ? "-1" : "1")" }.joined(separator: " ")
            }
        }
        return r.realImages.map { m in
            var parts: [String] = []
            for row in 0..<m.rows {
                for column in 0..<m.columns where m[row, column] != 0 {
                    parts.append("\(row) \(column) \(m[row, column])")
                }
            }
            return parts.joined(separator: " ")
        }
    }

    /// A Swift expression building the runtime's `GeneratorActions` for the harness `main.swift`.
    func actionsExpression() -> String {
        func list(_ items: [String]) -> String { "[" + items.map(TextEscaping.swift).joined(separator: ", ") + "]" }
        return """
            ArchSynthRuntime.GeneratorActions(
                names: \(list(generatorNames)),
                inputDimension: \(inputDimension), input: \(list(inputTriples)),
                outputDimension: \(outputDimension), output: \(list(outputTriples)))
            """
    }
}

extension SpecActions {
    /// The actions archsynth rebuilds for a generated layer or network from its own header
    /// (`archsynth verify FILE.swift` without `--spec`): the spec of the `// Spec: SPEC (group …)`
    /// line, resolved again, and the representations of `// Input: IN (dimension …); output: OUT
    /// (dimension …)` (a layer) or the first and last of `// Representations: A → … → Z (dimensions
    /// …)` (a network), built again from the spec. What the file declares (its generator names,
    /// dimensions and `actOnInput` / `actOnOutput`) is then compared with these, never trusted.
    ///
    /// Throws `.unverifiableHeader` when the header names no spec and representations, or names a
    /// spec or expression archsynth cannot rebuild from here (a spec file given by a path that does
    /// not resolve from the current folder, say); the message says to pass `--spec SPEC --in EXPR
    /// --out EXPR`.
    ///
    /// ```swift
    /// let actions = try SpecActions(headerOf: text, resolver: GroupResolver())
    /// actions.subject   // "symmetric:5 --in natural --out natural (from the header)"
    /// ```
    public init(headerOf text: String, resolver: GroupResolver) throws(VerificationError) {
        let fix = "give --spec SPEC --in EXPR --out EXPR (or --reps for a network) to say what to check it against"
        guard let (spec, input, output) = Self.headerFields(of: text) else {
            throw .unverifiableHeader("its header has no `// Spec:` line with `// Input:` or `// Representations:`, so archsynth cannot rebuild the group actions it must be checked against; \(fix)")
        }
        let subject = "\(spec) --in \(input) --out \(output) (from the header)"
        do {
            let group = try resolver.resolve(spec)
            let rIn = try group.representation(for: try RepresentationExpression(parsing: input))
            let rOut = try group.representation(for: try RepresentationExpression(parsing: output))
            try self.init(subject: subject, generatorNames: group.generators, input: rIn, output: rOut)
        } catch let error as VerificationError {
            throw error
        } catch {
            throw .unverifiableHeader("archsynth cannot rebuild \(subject): \(error); \(fix)")
        }
    }
}

extension SpecActions {
    /// The spec and the input and output expressions a generated file's header records (`// Spec:
    /// SPEC (group …)` with `// Input: IN (dimension …); output: OUT (dimension …)` or `//
    /// Representations: A → … → Z (dimensions …)`), in its first 64 lines; nil when it records
    /// no spec or no representations.
    public static func headerFields(of text: String) -> (spec: String, input: String, output: String)? {
        var spec: String?, input: String?, output: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(64) {
            if line.hasPrefix("// Spec: "), let end = line.range(of: " (group ", options: .backwards) {
                spec = String(line[line.index(line.startIndex, offsetBy: "// Spec: ".count)..<end.lowerBound])
            } else if line.hasPrefix("// Input: "), let split = line.range(of: "); output: "),
                      let inEnd = line[..<split.lowerBound].range(of: " (dimension ", options: .backwards),
                      let outEnd = line[split.upperBound...].range(of: " (dimension ", options: .backwards) {
                input = String(line[line.index(line.startIndex, offsetBy: "// Input: ".count)..<inEnd.lowerBound])
                output = String(line[split.upperBound..<outEnd.lowerBound])
            } else if line.hasPrefix("// Representations: "), let end = line.range(of: " (dimensions ", options: .backwards) {
                let reps = line[line.index(line.startIndex, offsetBy: "// Representations: ".count)..<end.lowerBound]
                    .components(separatedBy: " → ")
                if reps.count >= 2 { input = reps[0]; output = reps[reps.count - 1] }
            }
        }
        guard let spec, !spec.isEmpty, let input, let output else { return nil }
        return (spec, input, output)
    }
}
