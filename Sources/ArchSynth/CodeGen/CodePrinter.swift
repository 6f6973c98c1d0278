/// Accumulates generated source text line by line with an indentation level
/// (after swift-protobuf's `CodePrinter`). Fixed fragments are printed as
/// multi-line string literals; every line is indented by the current level.
///
/// ```swift
/// var p = CodePrinter()
/// p.print("struct A {"); p.withIndentation { $0.print("let x = 1") }; p.print("}")
/// ```
public struct CodePrinter: Sendable {
    public private(set) var content = ""
    private var level = 0
    private let unit: String

    public init(indentUnit: String = "    ") { unit = indentUnit }

    /// Prints each line of `text` at the current indentation (empty lines stay empty).
    public mutating func print(_ text: String = "") {
        if text.isEmpty { content += "\n"; return }
        let prefix = String(repeating: unit, count: level)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            content += line.isEmpty ? "\n" : prefix + line + "\n"
        }
    }

    /// Prints several lines.
    public mutating func print(lines: [String]) { for l in lines { print(l) } }

    public mutating func indent() { level += 1 }

    public mutating func outdent() {
        precondition(level > 0, "CodePrinter: outdent below zero")
        level -= 1
    }

    /// Runs `body` one level deeper.
    public mutating func withIndentation(_ body: (inout CodePrinter) -> Void) {
        indent()
        body(&self)
        outdent()
    }

    /// `opening {`, the body one level deeper, then `}` (or `closing`).
    public mutating func block(_ opening: String, closing: String = "}", _ body: (inout CodePrinter) -> Void) {
        print(opening + " {")
        withIndentation(body)
        print(closing)
    }

    /// Arrays longer than this are printed packed (see `printIntegers`).
    public static let packingThreshold = 1024

    /// Prints `declaration: [type] = [...]`, `perLine` values a line. Above `packingThreshold`
    /// values the array is one string literal of zigzag varints (5 bits per digit, see
    /// `appendVarint`) decoded once at first use by the runtime's `GeneratedTables.integers`:
    /// swiftc type-checks an array literal element by element (a 65,536-entry table took ~33 s),
    /// a string literal in no time.
    public mutating func printIntegers<T: BinaryInteger>(_ declaration: String, type: String, _ values: [T], perLine: Int = 16) {
        if values.count > CodePrinter.packingThreshold {
            var text = ""
            text.reserveCapacity(values.count * 2)
            for v in values {
                let w = Int64(v)
                CodePrinter.appendVarint(UInt64(bitPattern: (w << 1) ^ (w >> 63)), to: &text)
            }
            let convert = type == "Int" ? "" : ".map { \(type)($0) }"
            print("\(declaration): [\(type)] = GeneratedTables.integers(\"\(text)\", count: \(values.count))\(convert)")
        } else {
            printLiterals(declaration, type: type, values.map { String($0) }, perLine: perLine)
        }
    }

    /// Prints `declaration: [Double] = [...]` with round-trip literals (`SwiftLiteral.double`);
    /// above `packingThreshold` values, the varints of their bit patterns, decoded by
    /// `GeneratedTables.bitPatterns`.
    public mutating func printReals(_ declaration: String, _ values: [Double], perLine: Int = 4) {
        if values.count > CodePrinter.packingThreshold {
            var text = ""
            for v in values { CodePrinter.appendVarint(v.bitPattern, to: &text) }
            print("\(declaration): [Double] = GeneratedTables.bitPatterns(\"\(text)\", count: \(values.count))")
        } else {
            printLiterals(declaration, type: "Double", values.map(SwiftLiteral.double), perLine: perLine)
        }
    }

    /// One line when the values fit on one (at most `perLine`), else `perLine` a line.
    private mutating func printLiterals(_ declaration: String, type: String, _ literals: [String], perLine: Int) {
        if literals.count <= perLine { print("\(declaration): [\(type)] = [\(literals.joined(separator: ", "))]"); return }
        print("\(declaration): [\(type)] = [")
        withIndentation { p in
            var i = 0
            while i < literals.count {
                let end = min(i + perLine, literals.count)
                p.print(literals[i..<end].joined(separator: ", ") + ",")
                i = end
            }
        }
        print("]")
    }

    static let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// 5 bits per digit, low bits first; digits 32–63 continue, 0–31 end a value.
    static func appendVarint(_ value: UInt64, to text: inout String) {
        var v = value
        while v >= 32 {
            text.append(digits[Int(32 | (v & 31))])
            v >>= 5
        }
        text.append(digits[Int(v)])
    }
}

/// Literals for emitted Swift source.
public enum SwiftLiteral {
    /// The shortest literal that reads back to the same Double (finite values only); integers
    /// print with ".0" so an array of them types as Double.
    public static func double(_ x: Double) -> String {
        precondition(x.isFinite, "non-finite constant in generated code")
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) + ".0" }
        return "\(x)"
    }
}
