/// A malformed presentation: a bad generator name or a relator that cannot be read.
///
/// Every parse error carries a `Location`: the text being parsed, the 1-based
/// character position of the offending token, and the relator's index when the
/// text is a relator of a presentation (`nil` for `Presentation.parseWord`).
///
/// ```swift
/// try Presentation(generators: ["r", "s"], relatorTexts: ["(s*t)^2"])
/// // unknown generator "t" at position 4 in relator "(s*t)^2"; generators are r, s
/// ```
public enum PresentationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The generator at `index` (0-based) has an empty name.
    case emptyGeneratorName(index: Int)
    /// A generator name that is not an identifier (letter or `_`, then letters, digits, `_`).
    case invalidGeneratorName(String)
    /// A generator name listed more than once.
    case duplicateGenerator(String)
    /// The relator at `index` (0-based) is empty or only whitespace.
    case emptyRelator(index: Int)
    /// An identifier that names no generator.
    case unknownGenerator(String, at: Location, generators: [String])
    /// A token (empty string: the end of the text) where something else was expected.
    case unexpected(String, at: Location, expected: String)
    /// An opening `(` or `[` that is never closed.
    case unclosed(String, at: Location)
    /// A closing `)` or `]` without a matching opening one.
    case unmatched(String, at: Location)
    /// Something other than an integer after `^` (empty string: nothing at all).
    case badExponent(String, at: Location)
    /// An exponent whose magnitude exceeds `limit`.
    case exponentTooLarge(String, at: Location, limit: Int)
    /// The expanded word would have more than `limit` letters.
    case wordTooLong(at: Location, limit: Int)
    /// Parentheses or brackets nested deeper than `limit`.
    case tooDeep(at: Location, limit: Int)

    /// Where a parse error occurred.
    public struct Location: Equatable, Sendable {
        /// The full text being parsed.
        public var text: String
        /// 1-based position (in Unicode scalars) of the offending token; `text.count + 1` for its end.
        public var position: Int
        /// Index (0-based) of the relator in the presentation; `nil` for a lone word.
        public var relatorIndex: Int?

        /// A location in `text` at the 1-based `position`, in relator `relatorIndex` if any.
        public init(text: String, position: Int, relatorIndex: Int? = nil) {
            self.text = text
            self.position = position
            self.relatorIndex = relatorIndex
        }

        /// `at position 4 in relator "(s*t)^2"`.
        var phrase: String {
            "at position \(position) in \(relatorIndex == nil ? "word" : "relator") \"\(shortText)\""
        }

        /// The text, cut to its first 80 characters for messages.
        var shortText: String {
            text.unicodeScalars.count > 80 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(80))) + "…" : text
        }
    }

    /// A one-line message naming the offending text, its position and what was expected.
    public var description: String {
        switch self {
        case let .emptyGeneratorName(index):
            return "generator at index \(index) has an empty name: a name is a letter or underscore followed by letters, digits or underscores"
        case let .invalidGeneratorName(name):
            return "invalid generator name \"\(name)\": a name is a letter or underscore followed by letters, digits or underscores"
        case let .duplicateGenerator(name):
            return "generator \"\(name)\" is listed more than once: generator names must be unique"
        case let .emptyRelator(index):
            return "relator at index \(index) is empty: write a word in the generators (e.g. \"a*b^-1\"), or \"1\" for the identity"
        case let .unknownGenerator(name, location, generators):
            let known = generators.isEmpty ? "there are no generators" : "generators are " + generators.joined(separator: ", ")
            let hint = PresentationError.juxtapositionHint(name, generators: generators)
            return "unknown generator \"\(name)\" \(location.phrase); \(known)\(hint)"
        case let .unexpected(found, location, expected):
            let what = found.isEmpty ? "unexpected end" : "unexpected \"\(found)\""
            return "\(what) \(location.phrase): expected \(expected)"
        case let .unclosed(open, location):
            let kind = open == "[" ? "bracket" : "parenthesis"
            let close = open == "[" ? "]" : ")"
            return "unbalanced \(kind): \"\(open)\" \(location.phrase) is never closed (expected \"\(close)\")"
        case let .unmatched(close, location):
            let kind = close == "]" ? "bracket" : "parenthesis"
            let open = close == "]" ? "[" : "("
            return "unbalanced \(kind): \"\(close)\" \(location.phrase) has no matching \"\(open)\""
        case let .badExponent(found, location):
            let what = found.isEmpty ? "missing exponent" : "bad exponent \"\(found)\""
            return "\(what) \(location.phrase): expected an integer such as 2 or -1 after \"^\""
        case let .exponentTooLarge(found, location, limit):
            return "exponent \(found) \(location.phrase) is too large: at most \(limit) in absolute value"
        case let .wordTooLong(location, limit):
            let where_ = location.relatorIndex.map { "relator at index \($0)" } ?? "word"
            return "\(where_) \"\(location.shortText)\" expands to more than \(limit) letters; write a shorter relator (a presentation with long relators is better given by permutations or matrices without relators)"
        case let .tooDeep(location, limit):
            let where_ = location.relatorIndex.map { "relator at index \($0)" } ?? "word"
            return "\(where_) \"\(location.shortText)\" nests parentheses or brackets deeper than \(limit) levels at position \(location.position); write it with fewer levels"
        }
    }

    /// `" (write products with * or spaces, e.g. "a*b")"` when every character of an
    /// unknown identifier is a one-letter generator name.
    static func juxtapositionHint(_ name: String, generators: [String]) -> String {
        let singles = Set(generators.filter { $0.unicodeScalars.count == 1 })
        let parts = name.unicodeScalars.map { String($0) }
        guard parts.count > 1, parts.allSatisfy(singles.contains) else { return "" }
        return " (write products with * or spaces, e.g. \"\(parts.joined(separator: "*"))\")"
    }
}
