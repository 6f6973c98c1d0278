// Reading words and relators from text (DESIGN.md, "Group specs").
//
// Grammar (whitespace separates tokens and is otherwise ignored):
//
//   relation := word [ "=" word ]                 u = v becomes the relator u v⁻¹
//   word     := factor { ["*"] factor }           product: "*" or juxtaposition
//   factor   := atom { "^" exponent }             a^3, a^-1, (a*b)^(-2)
//   exponent := ["+" | "-"] digits | "(" ["+" | "-"] digits ")"
//   atom     := name | "1" | "(" word ")" | "[" word "," word { "," word } "]"
//
// `[u,v]` is the commutator u⁻¹v⁻¹uv; `[u,v,w]` is left-normed, `[[u,v],w]`.
// A name is an identifier: a letter or `_`, then letters, digits or `_` (ASCII).

extension Presentation {
    /// Largest exponent magnitude accepted after `^`.
    public static let maximumExponent = 1_000_000
    /// Largest number of letters a parsed word may expand to.
    public static let maximumWordLength = 10_000_000
    /// Deepest nesting of parentheses and commutator brackets accepted in a word;
    /// deeper text is refused (`PresentationError.tooDeep`) rather than overflowing
    /// the stack of the recursive parser. 256: a debug build's frames are large enough
    /// that 800 levels overflowed the 8 MB main-thread stack (issue 18), so the bound keeps a
    /// margin of three in debug and far more in release.
    public static let maximumNesting = 256

    /// Builds a presentation from generator names and relator texts.
    ///
    /// Each relator text is a word, or a relation `u = v` (stored as u v⁻¹); see
    /// `parseWord(_:generators:)` for the syntax. Relators are stored freely reduced.
    ///
    /// ```swift
    /// let q8 = try Presentation(generators: ["i", "j"], relatorTexts: ["i^4", "i^2 = j^2", "j^-1 i j = i^-1"])
    /// q8.relators[1].formatted(names: q8.generators)    // "i^2*j^-2"
    /// ```
    /// - Throws: `PresentationError` naming the relator, the position and what was expected.
    /// - Complexity: linear in the total length of the texts and of the expanded words.
    public init(generators: [String], relatorTexts: [String]) throws(PresentationError) {
        try Presentation.validateGeneratorNames(generators)
        var relators: [Word] = []
        relators.reserveCapacity(relatorTexts.count)
        for (index, text) in relatorTexts.enumerated() {
            if text.unicodeScalars.allSatisfy(WordParser.isSpace) { throw .emptyRelator(index: index) }
            var parser = WordParser(text: text, generators: generators, relatorIndex: index)
            relators.append(try parser.parseRelation())
        }
        self.init(generators: generators, relators: relators, relatorTexts: relatorTexts)
    }

    /// Parses a single word (no `=`) in the named generators.
    ///
    /// Products are written with `*` or by juxtaposition with whitespace, powers with
    /// `^k` (negative `k` for inverse powers), `1` is the identity, `[u,v]` is the
    /// commutator u⁻¹v⁻¹uv, and parentheses group.
    ///
    /// ```swift
    /// let w = try Presentation.parseWord("[a, b]^2 a^-1", generators: ["a", "b"])
    /// w.formatted(names: ["a", "b"])      // "a^-1*b^-1*a*b*a^-1*b^-1*a*b*a^-1"
    /// ```
    /// - Throws: `PresentationError` with the 1-based position of the offending token.
    /// - Complexity: linear in the length of the text and of the expanded word.
    public static func parseWord(_ text: String, generators: [String]) throws(PresentationError) -> Word {
        try validateGeneratorNames(generators)
        var parser = WordParser(text: text, generators: generators, relatorIndex: nil)
        return try parser.parseLoneWord()
    }

    /// Checks that generator names are non-empty, unique identifiers (ASCII letter or `_`,
    /// then letters, digits or `_`).
    /// - Throws: `emptyGeneratorName`, `invalidGeneratorName` or `duplicateGenerator` for the
    ///   first offending name.
    /// - Complexity: O(total length of the names).
    public static func validateGeneratorNames(_ generators: [String]) throws(PresentationError) {
        var seen = Set<String>()
        for (index, name) in generators.enumerated() {
            if name.isEmpty { throw .emptyGeneratorName(index: index) }
            let scalars = Array(name.unicodeScalars)
            guard WordParser.isIdentifierStart(scalars[0]), scalars.allSatisfy(WordParser.isIdentifierPart) else {
                throw .invalidGeneratorName(name)
            }
            guard seen.insert(name).inserted else { throw .duplicateGenerator(name) }
        }
    }
}

/// Recursive-descent parser over the Unicode scalars of one text.
struct WordParser {
    let text: String
    let scalars: [Unicode.Scalar]
    let generators: [String]
    let indexOfName: [String: Int]
    let relatorIndex: Int?
    var position = 0
    /// Open `(` and `[` around the current position.
    var nesting = 0

    init(text: String, generators: [String], relatorIndex: Int?) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
        self.generators = generators
        var map: [String: Int] = [:]
        for (i, name) in generators.enumerated() { map[name] = i }
        self.indexOfName = map
        self.relatorIndex = relatorIndex
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\n" || s == "\r" }
    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
    static func isIdentifierStart(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 65 && s.value <= 90) || (s.value >= 97 && s.value <= 122) || s == "_"
    }
    static func isIdentifierPart(_ s: Unicode.Scalar) -> Bool { isIdentifierStart(s) || isDigit(s) }

    static let atomExpectation = "a generator, \"1\", \"(\" or \"[\""

    func location(_ index: Int) -> PresentationError.Location {
        PresentationError.Location(text: text, position: index + 1, relatorIndex: relatorIndex)
    }

    mutating func skipSpaces() {
        while position < scalars.count, WordParser.isSpace(scalars[position]) { position += 1 }
    }

    /// The next non-space scalar, without consuming it.
    mutating func peek() -> Unicode.Scalar? {
        skipSpaces()
        return position < scalars.count ? scalars[position] : nil
    }

    /// The token starting at `index`, for messages: an identifier or number whole, else one scalar.
    func token(at index: Int) -> String {
        guard index < scalars.count else { return "" }
        var end = index + 1
        if WordParser.isIdentifierPart(scalars[index]) {
            while end < scalars.count, WordParser.isIdentifierPart(scalars[end]) { end += 1 }
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[index..<end])
        return result
    }

    func unexpected(at index: Int, expected: String) -> PresentationError {
        let found = token(at: index)
        if found == ")" || found == "]" {
            return .unmatched(found, at: location(index))
        }
        return .unexpected(found, at: location(index), expected: expected)
    }

    mutating func parseRelation() throws(PresentationError) -> Word {
        let lhs = try parseProduct()
        var result = lhs
        if peek() == "=" {
            position += 1
            let rhs = try parseProduct(after: "\"=\"")
            result = lhs * rhs.inverse
        }
        if peek() != nil { throw unexpected(at: position, expected: "\"*\", \"^\", \"=\" or a generator") }
        return result.freelyReduced
    }

    mutating func parseLoneWord() throws(PresentationError) -> Word {
        let word = try parseProduct()
        if peek() != nil { throw unexpected(at: position, expected: "\"*\", \"^\" or a generator") }
        return word.freelyReduced
    }

    func startsAtom(_ s: Unicode.Scalar?) -> Bool {
        guard let s else { return false }
        return s == "(" || s == "[" || WordParser.isIdentifierPart(s)
    }

    /// One or more factors joined by `*` or juxtaposition.
    mutating func parseProduct(after context: String? = nil) throws(PresentationError) -> Word {
        var letters: [Int32] = []
        var first = true
        while true {
            let next = peek()
            if !first, next == "*" {
                position += 1
                guard startsAtom(peek()) else {
                    throw unexpected(at: position, expected: WordParser.atomExpectation + " after \"*\"")
                }
            } else if !startsAtom(next) {
                if first {
                    let suffix = context.map { " after \($0)" } ?? ""
                    throw unexpected(at: position, expected: WordParser.atomExpectation + suffix)
                }
                return Word(letters)
            }
            let factor = try parseFactor()
            guard letters.count + factor.count <= Presentation.maximumWordLength else {
                throw .wordTooLong(at: location(0), limit: Presentation.maximumWordLength)
            }
            letters += factor.letters
            first = false
        }
    }

    mutating func parseFactor() throws(PresentationError) -> Word {
        var word = try parseAtom()
        while peek() == "^" {
            position += 1
            let k = try parseExponent()
            guard word.count * Int(k.magnitude) <= Presentation.maximumWordLength else {
                throw .wordTooLong(at: location(0), limit: Presentation.maximumWordLength)
            }
            word = word.power(k)
        }
        return word
    }

    /// The text of a would-be exponent starting at `index`: an optional sign and the
    /// identifier or number run after it (at least one scalar), for messages.
    func exponentToken(at index: Int) -> String {
        guard index < scalars.count else { return "" }
        var end = index
        if scalars[end] == "-" || scalars[end] == "+" { end += 1 }
        while end < scalars.count, WordParser.isIdentifierPart(scalars[end]) { end += 1 }
        if end == index { end += 1 }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[index..<end])
        return result
    }

    mutating func parseExponent() throws(PresentationError) -> Int {
        skipSpaces()
        var openIndex: Int? = nil
        if position < scalars.count, scalars[position] == "(" {
            openIndex = position
            position += 1
            skipSpaces()
        }
        let numberStart = position
        var negative = false
        if position < scalars.count, scalars[position] == "-" || scalars[position] == "+" {
            negative = scalars[position] == "-"
            position += 1
        }
        let digitsStart = position
        while position < scalars.count, WordParser.isDigit(scalars[position]) { position += 1 }
        // No digits, or identifier characters glued to them (`a^2b`, `a^x`): not an integer.
        if position == digitsStart || (position < scalars.count && WordParser.isIdentifierStart(scalars[position])) {
            throw .badExponent(exponentToken(at: numberStart), at: location(numberStart))
        }
        var digits = ""
        digits.unicodeScalars.append(contentsOf: scalars[digitsStart..<position])
        let shown = (negative ? "-" : "") + digits
        guard digits.count <= 7, let magnitude = Int(digits), magnitude <= Presentation.maximumExponent else {
            throw .exponentTooLarge(shown, at: location(numberStart), limit: Presentation.maximumExponent)
        }
        if let openIndex {
            guard peek() == ")" else {
                if position >= scalars.count { throw .unclosed("(", at: location(openIndex)) }
                throw unexpected(at: position, expected: "\")\" to close the exponent")
            }
            position += 1
        }
        return negative ? -magnitude : magnitude
    }

    mutating func parseAtom() throws(PresentationError) -> Word {
        guard let s = peek() else { throw unexpected(at: position, expected: WordParser.atomExpectation) }
        let start = position
        if s == "(" || s == "[" {
            guard nesting < Presentation.maximumNesting else {
                throw .tooDeep(at: location(start), limit: Presentation.maximumNesting)
            }
        }
        nesting += 1
        defer { nesting -= 1 }
        if s == "(" {
            position += 1
            let inner = try parseProduct()
            guard peek() == ")" else {
                if peek() == nil || peek() == "=" { throw .unclosed("(", at: location(start)) }
                throw unexpected(at: position, expected: "\")\" to close \"(\" at position \(start + 1)")
            }
            position += 1
            return inner
        }
        if s == "[" {
            position += 1
            var result = try parseProduct()
            var operands = 1
            while peek() == "," {
                position += 1
                let next = try parseProduct(after: "\",\"")
                guard 2 * (result.count + next.count) <= Presentation.maximumWordLength else {
                    throw .wordTooLong(at: location(0), limit: Presentation.maximumWordLength)
                }
                result = (result.inverse * next.inverse * result * next).freelyReduced
                operands += 1
            }
            guard peek() == "]" else {
                if peek() == nil || peek() == "=" { throw .unclosed("[", at: location(start)) }
                throw unexpected(at: position, expected: "\",\" or \"]\" in the commutator at position \(start + 1)")
            }
            guard operands >= 2 else {
                throw .unexpected("]", at: location(position), expected: "\",\": a commutator [u,v] has at least two entries")
            }
            position += 1
            return result
        }
        if WordParser.isDigit(s) {
            let number = token(at: start)
            guard number == "1" else {
                throw .unexpected(number, at: location(start), expected: WordParser.atomExpectation + " (powers are written a^\(number))")
            }
            position += 1
            return .identity
        }
        if WordParser.isIdentifierStart(s) {
            let name = token(at: start)
            position += name.unicodeScalars.count
            guard let index = indexOfName[name] else {
                throw .unknownGenerator(name, at: location(start), generators: generators)
            }
            return .generator(index)
        }
        throw unexpected(at: start, expected: WordParser.atomExpectation)
    }
}
