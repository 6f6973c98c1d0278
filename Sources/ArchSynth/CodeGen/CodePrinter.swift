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

    /// Arrays longer than this are printed packed (see `printArray`).
    public static let packingThreshold = 1024

    /// True once a packed array was printed; the caller prints `printUnpackingHelpers` in the
    /// same type (and may reset it with `usedPacking = false`).
    public var usedPacking = false

    /// True while printing a layer nested in a file that imports ArchSynthRuntime (a generated
    /// network): the kernel helpers (`KernelHelpers`, the packed-table decoders) come from the
    /// runtime's `GeneratedLayerKernels` and are not printed again.
    public var helpersFromRuntime = false

    /// Prints `let name: [Type] = [...]` with `perLine` literals per line. Above
    /// `packingThreshold` entries, integer arrays are printed as one string literal of
    /// zigzag varints (6-bit digits) and Double arrays as the varints of their bit patterns,
    /// decoded once at first use: swiftc type-checks an array literal element by element
    /// (a 65,536-entry table took ~33 s), a string literal in no time.
    public mutating func printArray(
        _ declaration: String, type: String, literals: [String], perLine: Int = 16
    ) {
        if literals.isEmpty { print("\(declaration): [\(type)] = []"); return }
        if literals.count > CodePrinter.packingThreshold {
            let integers = literals.compactMap { Int64($0) }
            if integers.count == literals.count {
                var text = ""
                text.reserveCapacity(literals.count * 2)
                for v in integers { CodePrinter.appendVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)), to: &text) }
                let convert = type == "Int" ? "" : ".map { \(type)($0) }"
                print("\(declaration): [\(type)] = _unpackIntegers(\"\(text)\", count: \(literals.count))\(convert)")
                usedPacking = true
                return
            }
            let reals = literals.compactMap { Double($0) }
            if type == "Double", reals.count == literals.count {
                var text = ""
                for v in reals { CodePrinter.appendVarint(v.bitPattern, to: &text) }
                print("\(declaration): [Double] = _unpackBitPatterns(\"\(text)\", count: \(literals.count))")
                usedPacking = true
                return
            }
        }
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

    /// The decoders of packed arrays (printed once per type that holds packed arrays).
    public mutating func printUnpackingHelpers() {
        if helpersFromRuntime { return }
        print("""
            // MARK: Packed tables (decoded once, at first use)
            /// Zigzag varints, 5 bits per digit of "A–Za–z0–9+/" (digits ≥ 32 continue).
            static func _unpackIntegers(_ text: StaticString, count: Int) -> [Int] {
                var out = [Int](repeating: 0, count: count)
                var k = 0
                _unpackVarints(text) { v in out[k] = Int(truncatingIfNeeded: v >> 1) ^ -Int(truncatingIfNeeded: v & 1); k += 1 }
                precondition(k == count, "corrupt packed table")
                return out
            }
            /// Varints of Float64 bit patterns.
            static func _unpackBitPatterns(_ text: StaticString, count: Int) -> [Double] {
                var out = [Double](repeating: 0, count: count)
                var k = 0
                _unpackVarints(text) { v in out[k] = Double(bitPattern: v); k += 1 }
                precondition(k == count, "corrupt packed table")
                return out
            }
            static func _unpackVarints(_ text: StaticString, _ body: (UInt64) -> Void) {
                text.withUTF8Buffer { bytes in
                    var value: UInt64 = 0, shift: UInt64 = 0
                    for b in bytes {
                        let d: UInt64
                        switch b {
                        case 65...90: d = UInt64(b - 65)
                        case 97...122: d = UInt64(b - 71)
                        case 48...57: d = UInt64(b + 4)
                        case 43: d = 62
                        default: d = 63
                        }
                        value |= (d & 31) << shift
                        if d < 32 {
                            body(value)
                            value = 0
                            shift = 0
                        } else {
                            shift += 5
                        }
                    }
                }
            }
            """)
    }
}
