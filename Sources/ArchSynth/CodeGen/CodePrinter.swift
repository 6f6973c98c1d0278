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

    /// Prints `let name: [Type] = [...]` with `perLine` literals per line.
    public mutating func printArray(
        _ declaration: String, type: String, literals: [String], perLine: Int = 16
    ) {
        if literals.isEmpty { print("\(declaration): [\(type)] = []"); return }
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
}
