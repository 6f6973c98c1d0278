extension ExactOrReal {
    /// Reads a matrix entry written as a string in a spec: an arithmetic
    /// expression over numbers with `+ - * /`, parentheses and `sqrt(…)`.
    ///
    /// The result is exact (`Rational`) when the expression uses only integers
    /// and fractions, and square roots of perfect squares (`"sqrt(1/4)"` is
    /// exactly 1/2); any decimal point, exponent or irrational square root makes
    /// it real (Float64, each operation correctly rounded).
    ///
    /// ```swift
    /// try ExactOrReal(parsing: "-3/4")            // .exact(-3/4)
    /// try ExactOrReal(parsing: "(1+sqrt(5))/4")   // .real(0.8090169943749475)
    /// ```
    /// Grammar: `expr = term (("+"|"-") term)*`, `term = factor (("*"|"/") factor)*`,
    /// `factor = ("+"|"-") factor | number | "sqrt" "(" expr ")" | "(" expr ")"`.
    /// - Complexity: O(n) in the length of the text (nesting limited to 64).
    public init(parsing text: String) throws(MatrixEntryError) {
        var parser = EntryExpressionParser(text: text)
        self = try parser.parseAll()
    }
}

/// Why a matrix entry string cannot be read; `position` is the 0-based
/// character offset in the string.
public struct MatrixEntryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 0-based offset (in Unicode scalars) of the offending character.
    public var position: Int
    /// What is wrong, e.g. `expected ')'`.
    public var message: String

    /// An error at `position` with `message`.
    public init(position: Int, message: String) {
        self.position = position
        self.message = message
    }

    /// `message at character position`.
    public var description: String { "\(message) at character \(position)" }
}

/// Recursive descent over the expression grammar documented on `ExactOrReal(parsing:)`.
private struct EntryExpressionParser {
    let scalars: [Unicode.Scalar]
    var index = 0
    var depth = 0

    init(text: String) { scalars = Array(text.unicodeScalars) }

    mutating func parseAll() throws(MatrixEntryError) -> ExactOrReal {
        skipSpaces()
        guard index < scalars.count else { throw error("empty expression") }
        let value = try parseExpression()
        skipSpaces()
        guard index == scalars.count else { throw error("unexpected '\(scalars[index])'") }
        if case let .real(x) = value, !x.isFinite { throw error("the value is not finite", at: 0) }
        return value
    }

    private func error(_ message: String, at position: Int? = nil) -> MatrixEntryError {
        MatrixEntryError(position: position ?? index, message: message)
    }

    private mutating func skipSpaces() {
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
    }

    private mutating func peek() -> Unicode.Scalar? {
        skipSpaces()
        return index < scalars.count ? scalars[index] : nil
    }

    private mutating func parseExpression() throws(MatrixEntryError) -> ExactOrReal {
        try parseChain("+", "-") { (p) throws(MatrixEntryError) in try p.parseTerm() }
    }

    private mutating func parseTerm() throws(MatrixEntryError) -> ExactOrReal {
        try parseChain("*", "/") { (p) throws(MatrixEntryError) in try p.parseFactor() }
    }

    /// `operand (op operand)*` for the two operators given, combined left to right.
    private mutating func parseChain(
        _ op1: Unicode.Scalar, _ op2: Unicode.Scalar, _ operand: (inout Self) throws(MatrixEntryError) -> ExactOrReal
    ) throws(MatrixEntryError) -> ExactOrReal {
        var value = try operand(&self)
        while let op = peek(), op == op1 || op == op2 {
            let at = index
            index += 1
            let rhs = try operand(&self)
            value = try combine(value, rhs, op, at: at)
        }
        return value
    }

    private mutating func parseFactor() throws(MatrixEntryError) -> ExactOrReal {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { throw error("expression nested too deeply") }
        guard let c = peek() else { throw error("expected a number, 'sqrt(' or '(' but the text ended") }
        switch c {
        case "+":
            index += 1
            return try parseFactor()
        case "-":
            let at = index
            index += 1
            return try combine(.exact(.zero), try parseFactor(), "-", at: at)
        case "(":
            index += 1
            let value = try parseExpression()
            guard peek() == ")" else { throw error("expected ')'") }
            index += 1
            return value
        case "0"..."9", ".":
            return try parseNumber()
        case "a"..."z", "A"..."Z":
            let start = index
            while index < scalars.count, ("a"..."z").contains(scalars[index]) || ("A"..."Z").contains(scalars[index]) {
                index += 1
            }
            let name = String(String.UnicodeScalarView(scalars[start..<index]))
            guard name == "sqrt" else { throw error("unknown name \"\(name)\" (only sqrt is known)", at: start) }
            guard peek() == "(" else { throw error("expected '(' after sqrt") }
            index += 1
            let argument = try parseExpression()
            guard peek() == ")" else { throw error("expected ')'") }
            index += 1
            return try squareRoot(argument, at: start)
        default:
            throw error("expected a number, 'sqrt(' or '(' but found '\(c)'")
        }
    }

    /// `digits ("." digits)? ([eE] [+-]? digits)?` (also `.5`); exact only without `.` and exponent.
    private mutating func parseNumber() throws(MatrixEntryError) -> ExactOrReal {
        let start = index
        var sawDigit = false
        var isExact = true
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        while index < scalars.count, isDigit(scalars[index]) { index += 1; sawDigit = true }
        if index < scalars.count, scalars[index] == "." {
            isExact = false
            index += 1
            while index < scalars.count, isDigit(scalars[index]) { index += 1; sawDigit = true }
        }
        guard sawDigit else { throw error("expected digits", at: start) }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            isExact = false
            index += 1
            if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" { index += 1 }
            guard index < scalars.count, isDigit(scalars[index]) else { throw error("expected digits in the exponent") }
            while index < scalars.count, isDigit(scalars[index]) { index += 1 }
        }
        let literal = String(String.UnicodeScalarView(scalars[start..<index]))
        if isExact {
            guard let n = Int64(literal) else {
                throw error("\(literal) is too large for exact arithmetic (write it as a decimal to use floating point)", at: start)
            }
            return .exact(Rational(n))
        }
        guard let x = Double(literal.hasPrefix(".") ? "0" + literal : literal), x.isFinite else {
            throw error("cannot read the number \(literal)", at: start)
        }
        return .real(x)
    }

    private func combine(
        _ a: ExactOrReal, _ b: ExactOrReal, _ op: Unicode.Scalar, at: Int
    ) throws(MatrixEntryError) -> ExactOrReal {
        if case let .exact(x) = a, case let .exact(y) = b {
            let result: Rational?
            switch op {
            case "+": result = checkedAdd(x, y)
            case "-": result = checkedAdd(x, Rational(-y.numerator, y.denominator))
            case "*": result = checkedMultiply(x, y)
            default:
                guard !y.isZero else { throw error("division by zero", at: at) }
                result = checkedMultiply(x, Rational(y.denominator, y.numerator))
            }
            guard let result else {
                throw error("the exact value overflows 64-bit fractions (write decimals to use floating point)", at: at)
            }
            return .exact(result)
        }
        let (x, y) = (a.doubleValue, b.doubleValue)
        switch op {
        case "+": return .real(x + y)
        case "-": return .real(x - y)
        case "*": return .real(x * y)
        default:
            guard y != 0 else { throw error("division by zero", at: at) }
            return .real(x / y)
        }
    }

    private func squareRoot(_ a: ExactOrReal, at: Int) throws(MatrixEntryError) -> ExactOrReal {
        guard a.doubleValue >= 0 else { throw error("square root of a negative number", at: at) }
        if case let .exact(r) = a, let n = exactSquareRoot(r.numerator), let d = exactSquareRoot(r.denominator) {
            return .exact(Rational(n, d))
        }
        return .real(a.doubleValue.squareRoot())
    }

    private func exactSquareRoot(_ n: Int64) -> Int64? {
        guard n >= 0 else { return nil }
        var s = Int64(Double(n).squareRoot())
        while s > 0, s.multipliedReportingOverflow(by: s).overflow || s * s > n { s -= 1 }
        while !(s + 1).multipliedReportingOverflow(by: s + 1).overflow, (s + 1) * (s + 1) <= n { s += 1 }
        return s * s == n ? s : nil
    }

    /// `a + b`, or `nil` if a numerator or denominator leaves Int64 (Int64.min excluded, so negation is safe).
    private func checkedAdd(_ a: Rational, _ b: Rational) -> Rational? {
        let (l, o1) = a.numerator.multipliedReportingOverflow(by: b.denominator)
        let (r, o2) = b.numerator.multipliedReportingOverflow(by: a.denominator)
        let (s, o3) = l.addingReportingOverflow(r)
        let (d, o4) = a.denominator.multipliedReportingOverflow(by: b.denominator)
        guard !(o1 || o2 || o3 || o4), s != .min else { return nil }
        return Rational(s, d)
    }

    private func checkedMultiply(_ a: Rational, _ b: Rational) -> Rational? {
        // Cross-cancel first so representable results are not lost to overflow.
        let g1 = gcd(a.numerator.magnitude, b.denominator.magnitude)
        let g2 = gcd(b.numerator.magnitude, a.denominator.magnitude)
        let (n, o1) = (a.numerator / g1).multipliedReportingOverflow(by: b.numerator / g2)
        let (d, o2) = (a.denominator / g2).multipliedReportingOverflow(by: b.denominator / g1)
        guard !(o1 || o2), n != .min, d != .min else { return nil }
        return Rational(n, d)
    }

    private func gcd(_ a: UInt64, _ b: UInt64) -> Int64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : Int64(x)
    }
}
