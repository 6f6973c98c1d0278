/// A spec file that cannot be read: bad JSON, a missing or misspelled key, or a
/// value of the wrong shape (DESIGN.md, "Bad input").
///
/// Each message names the file, line and key path and says what to do:
///
/// ```text
/// unknown key "relator" in D4.json:3; did you mean "relators"?
/// unknown generator "t" in D4.json:9 (representations.plane.matrix.t); the generators are r, s
/// ```
///
/// Mathematical checks (relators, invertibility, homomorphisms) are made later,
/// when the spec is turned into a group.
public enum SpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not JSON (file, 1-based line and column, what was expected).
    case syntax(file: String, line: Int, column: Int, message: String)
    /// A required key is absent from the object at `location`.
    case missingKey(String, at: SpecLocation, hint: String)
    /// A key the format does not know; `suggestion` is the closest known key, if close.
    case unknownKey(String, at: SpecLocation, suggestion: String?, allowed: [String])
    /// The same key twice in one object.
    case duplicateKey(String, at: SpecLocation)
    /// A value of the wrong JSON kind (`expected` and `found` are English: "a string").
    case wrongType(expected: String, found: String, at: SpecLocation)
    /// A generator list that repeats a name.
    case duplicateGenerator(String, at: SpecLocation)
    /// A generator or representation name that is not an identifier or is reserved.
    case invalidName(String, kind: String, reason: String, at: SpecLocation)
    /// A representation gives an image for a name that is not a generator.
    case unknownGenerator(String, at: SpecLocation, generators: [String], suggestion: String?)
    /// A representation lacks the image of a generator.
    case missingImage(generator: String, representation: String, at: SpecLocation, generators: [String])
    /// A permutation image list or cycle string that is not a bijection.
    case notAPermutation(PermutationError, at: SpecLocation)
    /// Images of one representation acting on different numbers of points / dimensions.
    case sizeMismatch(generator: String, size: Int, expected: Int, reference: String, at: SpecLocation)
    /// A matrix that is not square or has rows of different lengths (`message`: "problem; advice").
    case badMatrixShape(String, at: SpecLocation)
    /// A matrix entry that cannot be read.
    case badEntry(String, reason: String, at: SpecLocation)
    /// `"defining"` names no representation of the spec.
    case unknownRepresentation(String, at: SpecLocation, available: [String], suggestion: String?)
    /// Any other value that is well-typed but unusable; `message` is "problem; what to do".
    case invalidValue(String, at: SpecLocation)

    /// Where the problem is (the file, line and key path).
    public var location: SpecLocation {
        switch self {
        case let .syntax(file, line, _, _): return SpecLocation(file: file, line: line, keyPath: "")
        case let .missingKey(_, at, _), let .unknownKey(_, at, _, _), let .duplicateKey(_, at),
            let .wrongType(_, _, at), let .duplicateGenerator(_, at), let .invalidName(_, _, _, at),
            let .unknownGenerator(_, at, _, _), let .missingImage(_, _, at, _), let .notAPermutation(_, at),
            let .sizeMismatch(_, _, _, _, at), let .badMatrixShape(_, at), let .badEntry(_, _, at),
            let .unknownRepresentation(_, at, _, _), let .invalidValue(_, at):
            return at
        }
    }

    /// A one-line message naming the place (`file:line (key path)`) and what to write instead.
    public var description: String {
        switch self {
        case let .syntax(file, line, column, message):
            return "invalid JSON in \(file):\(line):\(column): \(message)"
        case let .missingKey(key, at, hint):
            return "missing key \"\(key)\" in \(at); \(hint)"
        case let .unknownKey(key, at, suggestion, allowed):
            if let suggestion { return "unknown key \"\(key)\" in \(at); did you mean \"\(suggestion)\"?" }
            return "unknown key \"\(key)\" in \(at); the allowed keys are \(allowed.joined(separator: ", "))"
        case let .duplicateKey(key, at):
            return "duplicate key \"\(key)\" in \(at); each key may appear only once"
        case let .wrongType(expected, found, at):
            return "expected \(expected) in \(at), found \(found)"
        case let .duplicateGenerator(name, at):
            return "generator \"\(name)\" is listed twice in \(at); generator names must be unique"
        case let .invalidName(name, kind, reason, at):
            return "\(kind) name \"\(name)\" in \(at) \(reason)"
        case let .unknownGenerator(name, at, generators, suggestion):
            let hint = suggestion.map { "did you mean \"\($0)\"? " } ?? ""
            return "unknown generator \"\(name)\" in \(at); \(hint)the generators are \(generators.joined(separator: ", "))"
        case let .missingImage(generator, representation, at, generators):
            return "representation \"\(representation)\" has no image for generator \"\(generator)\" in \(at); "
                + "give one image for each generator (\(generators.joined(separator: ", ")))"
        case let .notAPermutation(error, at):
            return "not a permutation in \(at): \(error); every point must be the image of exactly one point"
        case let .sizeMismatch(generator, size, expected, reference, at):
            return "the image of \"\(generator)\" has size \(size) but the image of \"\(reference)\" has size "
                + "\(expected) in \(at); all images of one representation must have the same size"
        case let .badMatrixShape(message, at):
            return SpecError.place(at, in: message)
        case let .badEntry(text, reason, at):
            return "cannot read matrix entry \(text) in \(at): \(reason); write an integer, a fraction \"1/2\", "
                + "a decimal or an expression such as \"(1+sqrt(5))/4\""
        case let .unknownRepresentation(name, at, available, suggestion):
            let hint = suggestion.map { "did you mean \"\($0)\"? " } ?? ""
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "unknown representation \"\(name)\" in \(at); \(hint)the representations are \(list)"
        case let .invalidValue(message, at):
            return SpecError.place(at, in: message)
        }
    }

    /// `"problem; advice"` becomes `"problem in file:line (path); advice"`.
    private static func place(_ location: SpecLocation, in message: String) -> String {
        guard let split = message.firstRange(of: "; ") else { return "\(message) in \(location)" }
        return "\(message[..<split.lowerBound]) in \(location)\(message[split.lowerBound...])"
    }
}

/// Typo suggestions for error messages.
public enum Spelling {
    /// The closest candidate to `word` by edit distance (insertions, deletions,
    /// substitutions and swaps of adjacent letters), if it is close enough to be a
    /// plausible typo: at most 1 edit for words up to 4 letters, 2 beyond. Case is
    /// ignored for the comparison. Ties go to the earlier candidate.
    ///
    /// ```swift
    /// Spelling.closestMatch(to: "relator", in: ["relators", "relations"])   // "relators"
    /// ```
    /// - Complexity: O(|word| · Σ |candidate|).
    public static func closestMatch(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        let limit = w.count <= 4 ? 1 : 2
        var best: (String, Int)?
        for candidate in candidates {
            let c = Array(candidate.lowercased().unicodeScalars)
            let d = editDistance(w, c)
            if d <= limit, d < max(w.count, c.count), best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
        }
        return best?.0
    }

    /// Optimal string alignment distance (Damerau–Levenshtein without repeated edits).
    /// - Complexity: O(|a|·|b|).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        var d = [Int](repeating: 0, count: (a.count + 1) * width)
        for i in 0...a.count { d[i * width] = i }
        for j in 0...b.count { d[j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    v = min(v, d[(i - 2) * width + j - 2] + 1)
                }
                d[i * width + j] = v
            }
        }
        return d[a.count * width + b.count]
    }
}
