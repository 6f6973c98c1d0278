/// A representation expression (DESIGN.md, "Representation expressions"):
/// `name`, `a + b`, `a * b`, `a^k`, an integer `k` (k-dimensional trivial),
/// `dual(a)`, `sym2(a)`, `alt2(a)`, `field(a)` and parentheses. `field(a)` is shorthand for
/// `natural * a`: on a wallpaper or space group (`wallpaper:p4m:HxW`) it is one copy of the
/// point-group representation `a` at every grid point, the induced representation.
///
/// Precedence: `^` binds tightest, then `*`, then `+`; all are left-associative.
///
/// ```swift
/// let e = try RepresentationExpression(parsing: "3*V + sym2(W)")
/// e.description   // "3*V + sym2(W)"
/// ```
public indirect enum RepresentationExpression: Hashable, Sendable, CustomStringConvertible {
    /// A representation of the group by name (`trivial` and `regular` included).
    case named(String)
    /// The k-dimensional trivial representation.
    case trivial(Int)
    /// Direct sum `a + b` (block diagonal, a first).
    case sum(RepresentationExpression, RepresentationExpression)
    /// Tensor (Kronecker) product `a * b`.
    case tensor(RepresentationExpression, RepresentationExpression)
    /// Tensor power `a^k`, 0 ≤ k ≤ 64 (`a^0` is the 1-dimensional trivial representation).
    case power(RepresentationExpression, Int)
    /// The dual (contragredient) ρ*(g) = ρ(g⁻¹)ᵀ.
    case dual(RepresentationExpression)
    /// The symmetric square Sym²(a), of dimension d(d+1)/2.
    case sym2(RepresentationExpression)
    /// The exterior square Λ²(a), of dimension d(d−1)/2.
    case alt2(RepresentationExpression)

    /// Deepest expression tree accepted: nesting of parentheses and functions plus
    /// chained operators (`a+a+…+a` with 1,001 terms is 1,000 deep). Deeper input is
    /// refused with `RepresentationExpressionError.tooDeep` instead of overflowing
    /// the stack of the recursive parser and of everything that walks the tree.
    public static let maximumDepth = 1_000

    /// Parses an expression; names are not checked against any group here.
    /// - Throws: `RepresentationExpressionError` with the 0-based position of the problem.
    /// - Complexity: O(length of `text`).
    public init(parsing text: String) throws(RepresentationExpressionError) {
        var parser = ExpressionParser(text: text)
        self = try parser.parseAll()
    }

    /// Names of representations the expression uses, sorted and without repeats.
    public var referencedNames: [String] {
        var names = Set<String>()
        func walk(_ e: RepresentationExpression) {
            switch e {
            case let .named(n): names.insert(n)
            case .trivial: break
            case let .sum(a, b), let .tensor(a, b): walk(a); walk(b)
            case let .power(a, _), let .dual(a), let .sym2(a), let .alt2(a): walk(a)
            }
        }
        walk(self)
        return names.sorted()
    }

    /// The top-level direct summands with their multiplicities, in order:
    /// `2*V + W + V` gives `[(V, 3), (W, 1)]`; integer factors of a tensor
    /// product become multiplicities. Used by the solver to solve each distinct
    /// block once (DESIGN.md strategy 2).
    public var summands: [(expression: RepresentationExpression, multiplicity: Int)] {
        var result: [(RepresentationExpression, Int)] = []
        func add(_ e: RepresentationExpression, _ k: Int) {
            if k == 0 { return }
            switch e {
            case let .sum(a, b):
                add(a, k); add(b, k)
            case let .tensor(.trivial(m), b):
                add(b, k * m)
            case let .tensor(a, .trivial(m)):
                add(a, k * m)
            case let .trivial(m) where m != 1:
                add(.trivial(1), k * m)
            default:
                if let index = result.firstIndex(where: { $0.0 == e }) {
                    result[index].1 += k
                } else {
                    result.append((e, k))
                }
            }
        }
        add(self, 1)
        return result.map { (expression: $0.0, multiplicity: $0.1) }
    }

    var precedence: Int {
        switch self {
        case .sum: return 1
        case .tensor: return 2
        case .power: return 3
        default: return 4
        }
    }

    /// The expression in the syntax `init(parsing:)` reads, with only the parentheses
    /// precedence needs (`field(a)` prints as `natural*a`).
    public var description: String {
        func wrap(_ e: RepresentationExpression, _ minimum: Int) -> String {
            e.precedence < minimum ? "(\(e))" : e.description
        }
        switch self {
        case let .named(n): return n
        case let .trivial(k): return "\(k)"
        case let .sum(a, b): return "\(wrap(a, 1)) + \(wrap(b, 2))"
        case let .tensor(a, b): return "\(wrap(a, 2))*\(wrap(b, 3))"
        case let .power(a, k): return "\(wrap(a, 4))^\(k)"
        case let .dual(a): return "dual(\(a))"
        case let .sym2(a): return "sym2(\(a))"
        case let .alt2(a): return "alt2(\(a))"
        }
    }
}

/// A malformed representation expression; `position` is a 0-based character offset.
public enum RepresentationExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `found` (a quoted character or `the end`) where `expected` was needed.
    case unexpected(found: String, expected: String, position: Int, text: String)
    /// An exponent after `^` that is not an integer from 0 to 64.
    case badExponent(String, position: Int, text: String)
    /// Nesting deeper than `RepresentationExpression.maximumDepth` (`limit`).
    case tooDeep(position: Int, text: String, limit: Int)

    /// A one-line message quoting the text, the position and what was expected.
    public var description: String {
        switch self {
        case let .unexpected(found, expected, position, text):
            return "cannot read representation expression \"\(text)\": found \(found) at position \(position), expected \(expected)"
        case let .badExponent(exponent, position, text):
            return "bad exponent \(exponent) at position \(position) in \"\(text)\": a tensor power needs an integer from 0 to 64"
        case let .tooDeep(position, text, limit):
            let shown = text.unicodeScalars.count > 60 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(60))) + "…" : text
            return "representation expression \"\(shown)\" nests deeper than \(limit) levels at position \(position) (parentheses, functions and chained operators); write it with fewer levels, e.g. 3*V instead of V+V+V"
        }
    }
}

/// Recursive-descent parser for `RepresentationExpression`.
struct ExpressionParser {
    let text: String
    let scalars: [Unicode.Scalar]
    var position = 0
    /// Open parentheses and functions around the current position.
    var nesting = 0

    init(text: String) {
        self.text = text
        scalars = Array(text.unicodeScalars)
    }

    mutating func parseAll() throws(RepresentationExpressionError) -> RepresentationExpression {
        let e = try parseSum().expression
        skipSpaces()
        if position < scalars.count { throw unexpected("an operator (+, *, ^) or the end") }
        return e
    }

    /// Checks the height of a tree about to be built (and the nesting around it).
    func checkDepth(_ height: Int) throws(RepresentationExpressionError) {
        if height + nesting > RepresentationExpression.maximumDepth {
            throw .tooDeep(position: position, text: text, limit: RepresentationExpression.maximumDepth)
        }
    }

    mutating func skipSpaces() {
        while position < scalars.count, scalars[position] == " " || scalars[position] == "\t" { position += 1 }
    }

    func describeCurrent() -> String {
        position < scalars.count ? "\"\(scalars[position])\"" : "the end"
    }

    func unexpected(_ expected: String) -> RepresentationExpressionError {
        .unexpected(found: describeCurrent(), expected: expected, position: position, text: text)
    }

    mutating func accept(_ c: Unicode.Scalar) -> Bool {
        skipSpaces()
        if position < scalars.count, scalars[position] == c { position += 1; return true }
        return false
    }

    // Each parse function returns the tree and its height (a leaf has height 1).
    typealias Parsed = (expression: RepresentationExpression, height: Int)

    mutating func parseSum() throws(RepresentationExpressionError) -> Parsed {
        try parseChain("+", join: RepresentationExpression.sum) { (p) throws(RepresentationExpressionError) in try p.parseProduct() }
    }

    mutating func parseProduct() throws(RepresentationExpressionError) -> Parsed {
        try parseChain("*", join: RepresentationExpression.tensor) { (p) throws(RepresentationExpressionError) in try p.parsePower() }
    }

    /// `operand (op operand)*`, joined left to right, checking the depth after each join.
    mutating func parseChain(
        _ op: Unicode.Scalar, join: (RepresentationExpression, RepresentationExpression) -> RepresentationExpression,
        _ operand: (inout ExpressionParser) throws(RepresentationExpressionError) -> Parsed
    ) throws(RepresentationExpressionError) -> Parsed {
        var (e, h) = try operand(&self)
        while accept(op) {
            let (b, hb) = try operand(&self)
            h = max(h, hb) + 1
            try checkDepth(h)
            e = join(e, b)
        }
        return (e, h)
    }

    mutating func parsePower() throws(RepresentationExpressionError) -> Parsed {
        var (e, h) = try parsePrimary()
        while accept("^") {
            skipSpaces()
            let start = position
            guard let k = readInteger(), k <= 64 else {
                var end = position
                while end < scalars.count, scalars[end] != " ", scalars[end] != "+", scalars[end] != "*" { end += 1 }
                let shown = start < end ? String(String.UnicodeScalarView(scalars[start..<end])) : "(none)"
                throw .badExponent(shown, position: start, text: text)
            }
            h += 1
            try checkDepth(h)
            e = .power(e, k)
        }
        return (e, h)
    }

    mutating func readInteger() -> Int? {
        var value = 0
        var digits = 0
        while position < scalars.count, (48...57).contains(scalars[position].value), digits < 9 {
            value = value * 10 + Int(scalars[position].value - 48)
            position += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (65...90).contains(c.value) || (97...122).contains(c.value) || c == "_"
    }

    static func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || (48...57).contains(c.value)
    }

    /// Parses a parenthesized sum, one nesting level deeper.
    mutating func parseNested() throws(RepresentationExpressionError) -> Parsed {
        nesting += 1
        try checkDepth(1)
        let result = try parseSum()
        nesting -= 1
        return result
    }

    mutating func parsePrimary() throws(RepresentationExpressionError) -> Parsed {
        skipSpaces()
        guard position < scalars.count else { throw unexpected("a representation name, an integer or \"(\"") }
        let c = scalars[position]
        if accept("(") {
            let e = try parseNested()
            guard accept(")") else { throw unexpected("\")\"") }
            return e
        }
        if (48...57).contains(c.value) {
            let start = position
            guard let k = readInteger() else { throw unexpected("an integer") }
            if k == 0 { position = start; throw unexpected("a positive integer") }
            if position < scalars.count, (48...57).contains(scalars[position].value) {
                var end = position
                while end < scalars.count, (48...57).contains(scalars[end].value) { end += 1 }
                let number = String(String.UnicodeScalarView(scalars[start..<end]))
                throw .unexpected(found: "the integer \(number)", expected: "a multiplicity of at most 9 digits (1 to 999999999)", position: start, text: text)
            }
            return (.trivial(k), 1)
        }
        guard ExpressionParser.isIdentifierStart(c) else {
            throw unexpected("a representation name, an integer or \"(\"")
        }
        var name = ""
        while position < scalars.count, ExpressionParser.isIdentifierContinue(scalars[position]) {
            name.unicodeScalars.append(scalars[position])
            position += 1
        }
        let functions: [String: (RepresentationExpression) -> RepresentationExpression] = [
            "dual": { .dual($0) }, "sym2": { .sym2($0) }, "alt2": { .alt2($0) },
            // One copy of a point-group representation at every grid point of a wallpaper or
            // space group: the induced representation, which is `natural * ρ` there because
            // g = (t, p) moves the point by p·v + t and acts on its fibre by ρ(p).
            "field": { .tensor(.named("natural"), $0) },
        ]
        if let make = functions[name] {
            guard accept("(") else { throw unexpected("\"(\" after \(name)") }
            let (e, h) = try parseNested()
            guard accept(")") else { throw unexpected("\")\"") }
            try checkDepth(h + 1)
            return (make(e), h + 1)
        }
        return (.named(name), 1)
    }
}
