/// Escaping text for the languages archsynth writes (Swift, JSON, Python, the shell, XML): one
/// loop, each language's escapes. A scalar in `named` becomes its escape; any other control
/// character (U+0000–U+001F, and U+007F where the language escapes it) becomes `control(value)`.
///
/// ```swift
/// TextEscaping.swift("a\"b\n")    // "\"a\\\"b\\n\""
/// TextEscaping.json("tab\there")   // "\"tab\\there\""
/// ```
public enum TextEscaping {
    /// `text` with its escapes applied, without quotes.
    /// - Complexity: O(text's scalars).
    public static func escape(
        _ text: String, named: [Unicode.Scalar: String], delete: Bool = true, control: ((UInt32) -> String)? = nil
    ) -> String {
        var out = ""
        for u in text.unicodeScalars {
            if let e = named[u] {
                out += e
            } else if let control, u.value < 0x20 || (delete && u.value == 0x7F) {
                out += control(u.value)
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static let common: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"]

    static func hex(_ value: UInt32, digits: Int) -> String {
        let h = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - h.count)) + h
    }

    /// A Swift string literal holding `text` exactly.
    public static func swift(_ text: String) -> String {
        "\"" + escape(text, named: common) { "\\u{" + String($0, radix: 16) + "}" } + "\""
    }

    /// A JSON string literal (RFC 8259: quotes, backslashes and U+0000–U+001F escaped).
    public static func json(_ text: String) -> String {
        "\"" + escape(text, named: common, delete: false) { "\\u" + hex($0, digits: 4) } + "\""
    }

    /// A Python string literal.
    public static func python(_ text: String) -> String {
        "\"" + escape(text, named: ["\"": "\\\"", "\\": "\\\\"]) { "\\x" + hex($0, digits: 2) } + "\""
    }

    /// A shell ANSI-C quoted word, `$'…'`.
    public static func shell(_ text: String) -> String {
        "$'" + escape(text, named: ["\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r"]) { "\\x" + hex($0, digits: 2) } + "'"
    }

    /// Text with the five XML special characters escaped.
    public static func xml(_ text: String) -> String {
        escape(text, named: ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;"])
    }
}
