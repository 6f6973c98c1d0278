import GroupTheory

/// Building and printing JSON for `--json` output. Objects print their members in
/// the order given, so output is deterministic.
extension JSONValue {
    public static func string(_ s: String) -> JSONValue { JSONValue(.string(s)) }
    public static func int(_ n: Int) -> JSONValue { JSONValue(.number(String(n))) }
    public static func bool(_ b: Bool) -> JSONValue { JSONValue(.bool(b)) }
    public static let null = JSONValue(.null)

    /// A finite number in the shortest form that reads back exactly; non-finite values print as null.
    public static func double(_ x: Double) -> JSONValue {
        guard x.isFinite else { return .null }
        if x == x.rounded(), abs(x) < 1e15 { return JSONValue(.number(String(Int(x)))) }
        return JSONValue(.number("\(x)"))
    }

    public static func array(_ values: [JSONValue]) -> JSONValue { JSONValue(.array(values)) }

    public static func object(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        JSONValue(.object(members.map { JSONMember(key: $0.key, value: $0.value) }))
    }

    public static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        JSONValue(.object(members.map { JSONMember(key: $0.0, value: $0.1) }))
    }

    /// The JSON text, indented by two spaces per level when `pretty`.
    public func rendered(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, indent: pretty ? 0 : nil)
        return out
    }

    private func write(to out: inout String, indent: Int?) {
        let newline = indent.map { "\n" + String(repeating: "  ", count: $0 + 1) } ?? ""
        let closing = indent.map { "\n" + String(repeating: "  ", count: $0) } ?? ""
        let inner = indent.map { $0 + 1 }
        switch kind {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(text): out += text
        case let .string(s): JSONValue.writeString(s, to: &out)
        case let .array(values):
            if values.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line.
            let flat = values.allSatisfy { if case .array = $0.kind { return false }; if case .object = $0.kind { return false }; return true }
            out += "["
            for (i, v) in values.enumerated() {
                if i > 0 { out += flat || indent == nil ? (indent == nil ? "," : ", ") : "," }
                if !flat { out += newline }
                v.write(to: &out, indent: inner)
            }
            out += flat ? "]" : closing + "]"
        case let .object(members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += "," }
                out += newline
                JSONValue.writeString(m.key, to: &out)
                out += indent == nil ? ":" : ": "
                m.value.write(to: &out, indent: inner)
            }
            out += closing + "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String) { out += TextEscaping.json(s) }
}
