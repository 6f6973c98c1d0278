/// A JSON value (RFC 8259) with the place it was read from.
///
/// Objects keep their members in file order (duplicates included: the reader
/// decides whether a repeated key is an error), and numbers keep their literal
/// text so integers can be read exactly at any size.
///
/// ```swift
/// let v = try JSONValue(parsing: "{\"b\": 1,\n \"a\": [true, null]}")
/// v.members.map(\.key)    // ["b", "a"]   (file order)
/// v["a"]?.line            // 2
/// ```
public struct JSONValue: Hashable, Sendable {
    /// The value itself, by JSON type.
    public enum Kind: Hashable, Sendable {
        /// `null`.
        case null
        /// `true` or `false`.
        case bool(Bool)
        /// The number's literal text as written, e.g. `"-12"`, `"0.5"`, `"1e-3"`.
        case number(String)
        /// A string, escapes decoded.
        case string(String)
        /// An array, elements in order.
        case array([JSONValue])
        /// An object, members in file order (repeated keys kept).
        case object([JSONMember])
    }

    /// The value.
    public var kind: Kind
    /// 1-based line of the value's first character.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the value's first character.
    public var column: Int

    /// A value at the given position (0 when not read from text). Position is part of
    /// equality: the same value read at two places is two unequal `JSONValue`s.
    public init(_ kind: Kind, line: Int = 0, column: Int = 0) {
        self.kind = kind
        self.line = line
        self.column = column
    }

    /// Parses a complete JSON text (one value, surrounded only by whitespace).
    ///
    /// A leading byte-order mark is ignored. Strings must be valid: control
    /// characters must be escaped and `\u` escapes of surrogates must pair up.
    /// Nesting deeper than `maxDepth` arrays and objects is rejected rather than
    /// risking the stack.
    /// - Complexity: O(n) in the length of the text.
    public init(parsing text: String, maxDepth: Int = 256) throws(JSONError) {
        var parser = JSONParser(text: text, maxDepth: maxDepth)
        self = try parser.parseDocument()
    }

    /// Members of an object in file order; empty for other kinds.
    public var members: [JSONMember] {
        if case let .object(m) = kind { return m }
        return []
    }

    /// The first member named `key` of an object; `nil` for other kinds.
    public subscript(key: String) -> JSONValue? {
        if case let .object(m) = kind { return m.first(where: { $0.key == key })?.value }
        return nil
    }

    /// Elements of an array; `nil` for other kinds.
    public var arrayValue: [JSONValue]? {
        if case let .array(a) = kind { return a }
        return nil
    }

    /// The string of a string value; `nil` for other kinds.
    public var stringValue: String? {
        if case let .string(s) = kind { return s }
        return nil
    }

    /// The Boolean of `true` or `false`; `nil` for other kinds.
    public var boolValue: Bool? {
        if case let .bool(b) = kind { return b }
        return nil
    }

    /// Whether the value is `null`.
    public var isNull: Bool { kind == .null }

    /// The number's literal text; `nil` for other kinds.
    public var numberText: String? {
        if case let .number(t) = kind { return t }
        return nil
    }

    /// True for a number written without fraction or exponent (`-12`, not `1.0` or `1e2`).
    public var isIntegerLiteral: Bool {
        guard let t = numberText else { return false }
        return !t.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    }

    /// The value of an integer literal that fits in `Int`; `nil` otherwise.
    public var intValue: Int? {
        guard isIntegerLiteral, let t = numberText else { return nil }
        return Int(t)
    }

    /// The value of any number as a `Double` (may be infinite for huge exponents).
    public var doubleValue: Double? {
        guard let t = numberText else { return nil }
        return Double(t)
    }

    /// A short English name of the kind, for error messages: "a string", "an array".
    public var kindDescription: String {
        switch kind {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Hashable, Sendable {
    /// The key, escapes decoded.
    public var key: String
    /// 1-based line of the key's opening quote.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the key's opening quote.
    public var column: Int
    /// The member's value.
    public var value: JSONValue

    /// A member at the given position (0 when not read from text).
    public init(key: String, line: Int = 0, column: Int = 0, value: JSONValue) {
        self.key = key
        self.line = line
        self.column = column
        self.value = value
    }
}

/// A JSON syntax error: where (1-based line and column in Unicode scalars) and
/// what was expected there.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 1-based line of the error.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int
    /// What was expected and what was found.
    public var message: String

    /// `line 3, column 14: expected ',' or '}' after an object member, found '"'`
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Recursive-descent reader over the UTF-8 bytes of the text.
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1
    private var depth = 0
    private let maxDepth: Int

    init(text: String, maxDepth: Int) {
        var b = Array(text.utf8)
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        bytes = b
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw error("expected a JSON value, found the end of the text") }
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw error("expected the end of the text after the top-level value, found \(found)")
        }
        return value
    }

    // MARK: Scanning

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Consumes one byte, keeping line and column (columns count Unicode scalars).
    private mutating func advance() {
        let b = bytes[index]
        index += 1
        if b == 0x0A {
            line += 1
            column = 1
        } else if b == 0x0D {
            // CR LF counts as one line break; a lone CR as one too.
            if index < bytes.count, bytes[index] == 0x0A { return }
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func skipWhitespace() {
        while let b = current, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { advance() }
    }

    /// The character at the current position, quoted, for messages.
    private var found: String {
        guard index < bytes.count else { return "the end of the text" }
        let b = bytes[index]
        switch b {
        case 0x0A: return "a line break"
        case 0x0D: return "a carriage return"
        case 0x09: return "a tab"
        case 0..<0x20: return "control character U+\(hex(UInt32(b), width: 4))"
        default:
            // Decode the whole scalar starting here.
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return "'" + String(decoding: bytes[index..<end], as: UTF8.self) + "'"
        }
    }

    private func error(_ message: String) -> JSONError {
        JSONError(line: line, column: column, message: message)
    }

    private func error(_ message: String, line: Int, column: Int) -> JSONError {
        JSONError(line: line, column: column, message: message)
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        let (l, c) = (line, column)
        guard let b = current else { throw error("expected a JSON value, found the end of the text") }
        switch b {
        case UInt8(ascii: "{"): return JSONValue(.object(try parseObject()), line: l, column: c)
        case UInt8(ascii: "["): return JSONValue(.array(try parseArray()), line: l, column: c)
        case UInt8(ascii: "\""): return JSONValue(.string(try parseString()), line: l, column: c)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return JSONValue(.bool(true), line: l, column: c)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return JSONValue(.bool(false), line: l, column: c)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return JSONValue(.null, line: l, column: c)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONValue(.number(try parseNumber()), line: l, column: c)
        default:
            throw error("expected a JSON value (object, array, string, number, true, false or null), found \(found)")
        }
    }

    private mutating func expectLiteral(_ word: String) throws(JSONError) {
        let (l, c) = (line, column)
        for expected in word.utf8 {
            guard current == expected else {
                throw error("invalid literal: expected '\(word)'", line: l, column: c)
            }
            advance()
        }
        // `truex` or `nullify`: a literal must be followed by a delimiter.
        if let b = current, isIdentifierByte(b) {
            throw error("invalid literal: expected '\(word)'", line: l, column: c)
        }
    }

    private func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        if depth > maxDepth {
            throw error("arrays and objects nested more than \(maxDepth) deep; flatten the data")
        }
    }

    private mutating func parseObject() throws(JSONError) -> [JSONMember] {
        var members: [JSONMember] = []
        try parseContainer(closing: "}", item: "an object member") { p, first throws(JSONError) in
            guard p.current == UInt8(ascii: "\"") else {
                throw p.error(
                    first
                        ? "expected a string key or '}' in an object, found \(p.found)"
                        : "expected a string key after ',' in an object, found \(p.found)")
            }
            let (l, c) = (p.line, p.column)
            let key = try p.parseString()
            p.skipWhitespace()
            guard p.current == UInt8(ascii: ":") else {
                throw p.error("expected ':' after the key \"\(key)\", found \(p.found)")
            }
            p.advance()
            p.skipWhitespace()
            let value = try p.parseValue()
            members.append(JSONMember(key: key, line: l, column: c, value: value))
        }
        return members
    }

    private mutating func parseArray() throws(JSONError) -> [JSONValue] {
        var elements: [JSONValue] = []
        try parseContainer(closing: "]", item: "an array element") { p, _ throws(JSONError) in
            if p.current == UInt8(ascii: "]") {
                throw p.error("expected a value after ',' in an array, found ']' (trailing commas are not JSON)")
            }
            elements.append(try p.parseValue())
        }
        return elements
    }

    /// An object or an array, from its opening bracket through `closing`: checks the nesting
    /// depth, then calls `item` for each item (white space before it skipped; the flag says
    /// whether it is the first), the items separated by ','. After an item, anything but ',' or
    /// `closing` throws, naming what it followed (`what`).
    private mutating func parseContainer(
        closing: Unicode.Scalar, item what: String, _ item: (inout JSONParser, _ first: Bool) throws(JSONError) -> Void
    ) throws(JSONError) {
        try enter()
        defer { depth -= 1 }
        advance()  // { or [
        skipWhitespace()
        if current == UInt8(ascii: closing) {
            advance()
            return
        }
        var first = true
        while true {
            skipWhitespace()
            try item(&self, first)
            first = false
            skipWhitespace()
            guard current != UInt8(ascii: ",") else {
                advance()
                continue
            }
            guard current == UInt8(ascii: closing) else {
                throw error("expected ',' or '\(closing)' after \(what), found \(found)")
            }
            advance()
            return
        }
    }

    // MARK: Strings

    private mutating func parseString() throws(JSONError) -> String {
        advance()  // opening quote
        var out: [UInt8] = []
        while true {
            guard let b = current else { throw error("unterminated string: expected '\"' before the end of the text") }
            switch b {
            case UInt8(ascii: "\""):
                advance()
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0..<0x20:
                throw error("\(found) in a string: control characters must be escaped (e.g. \\n, \\t, \\u0001)")
            default:
                out.append(b)
                advance()
            }
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONError) {
        let (l, c) = (line, column)
        advance()  // backslash
        guard let e = current else { throw error("unterminated string: expected an escape after '\\'") }
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            advance()
            var scalar = try parseHex4(escapeLine: l, escapeColumn: c)
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                else {
                    throw error(
                        "unpaired surrogate \\u\(hex(scalar, width: 4)): expected a low surrogate \\uDC00-\\uDFFF next",
                        line: l, column: c)
                }
                let (l2, c2) = (line, column)
                advance()
                advance()
                let low = try parseHex4(escapeLine: l2, escapeColumn: c2)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error(
                        "unpaired surrogate \\u\(hex(scalar, width: 4)): \\u\(hex(low, width: 4)) is not a low surrogate",
                        line: l, column: c)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error(
                    "unpaired surrogate \\u\(hex(scalar, width: 4)): a low surrogate must follow a high one",
                    line: l, column: c)
            }
            UTF8.encode(Unicode.Scalar(scalar)!) { out.append($0) }
            return
        default:
            throw error("invalid escape '\\\(String(decoding: [e], as: UTF8.self))': expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", line: l, column: c)
        }
        advance()
    }

    private mutating func parseHex4(escapeLine: Int, escapeColumn: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let b = current, let d = hexDigit(b) else {
                throw error("invalid \\u escape: expected 4 hexadecimal digits, found \(found)")
            }
            value = value << 4 | d
            advance()
        }
        return value
    }

    private func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as written.
    private mutating func parseNumber() throws(JSONError) -> String {
        let start = index
        func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        if current == UInt8(ascii: "-") { advance() }
        guard isDigit(current) else { throw error("expected a digit after '-', found \(found)") }
        if current == UInt8(ascii: "0") {
            advance()
            if isDigit(current) { throw error("leading zeros are not allowed in JSON numbers") }
        } else {
            while isDigit(current) { advance() }
        }
        if current == UInt8(ascii: ".") {
            advance()
            guard isDigit(current) else { throw error("expected a digit after the decimal point, found \(found)") }
            while isDigit(current) { advance() }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            advance()
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { advance() }
            guard isDigit(current) else { throw error("expected a digit in the exponent, found \(found)") }
            while isDigit(current) { advance() }
        }
        if let b = current, isIdentifierByte(b) || b == UInt8(ascii: ".") {
            throw error("expected ',' or a closing bracket after the number, found \(found)")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }
}

/// Upper-case hexadecimal with at least `width` digits.
private func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
