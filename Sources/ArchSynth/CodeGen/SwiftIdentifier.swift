/// The one place where names headed for generated Swift are validated and escaped
/// (after swift-protobuf's `SwiftLanguage.swift`).
///
/// ```swift
/// try SwiftIdentifier.validateTypeName("SymmetricLayer5")   // ok
/// SwiftIdentifier.stringLiteral("say \"hi\"")                // "\"say \\\"hi\\\"\""
/// ```
public enum SwiftIdentifier {
    /// Keywords that cannot name a type without backticks, plus names that would
    /// shadow what generated code relies on.
    static let reserved: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw",
        "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws",
        "true", "try", "_", "Type", "Protocol", "some", "any",
        // Standard-library types the generated code uses by name.
        "Float", "Double", "Int", "Int8", "Int32", "UInt64", "Array", "String", "Bool", "Swift", "BinaryFloatingPoint",
    ]

    /// Checks that `name` is a plain Swift type name: an ASCII letter or `_` followed by
    /// letters, digits or `_`, not a keyword and not a standard-library type name.
    public static func validateTypeName(_ name: String) throws(CodeGenerationError) {
        guard let first = name.unicodeScalars.first else { throw .invalidTypeName(name, reason: "it is empty") }
        func isLetter(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) || s == "_" }
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        guard isLetter(first) else {
            throw .invalidTypeName(name, reason: "it must start with an ASCII letter or underscore")
        }
        for s in name.unicodeScalars where !(isLetter(s) || isDigit(s)) {
            throw .invalidTypeName(name, reason: "the character \"\(s)\" is not allowed (ASCII letters, digits and _ only)")
        }
        guard !reserved.contains(name) else {
            throw .invalidTypeName(name, reason: "it is a Swift keyword or a standard-library type name")
        }
        guard name.count <= 200 else { throw .invalidTypeName(name, reason: "it is longer than 200 characters") }
    }

    /// A Swift string literal holding `text` exactly.
    public static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Text safe inside a `//` comment: one line, control characters replaced.
    public static func commentText(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}

/// Why a layer could not be generated. Nothing is written when one is thrown.
public enum CodeGenerationError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalidTypeName(String, reason: String)
    case dimensionMismatch(String)
    case strategyUnavailable(String, reason: String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case let .invalidTypeName(name, reason):
            return "invalid type name \"\(name)\" for --name: \(reason); use a Swift identifier such as MyLayer"
        case let .dimensionMismatch(message):
            return "basis and representations disagree: \(message)"
        case let .strategyUnavailable(strategy, reason):
            return "the \(strategy) strategy does not apply to this layer: \(reason); use --strategy auto"
        case let .tooLarge(message):
            return message
        }
    }
}
