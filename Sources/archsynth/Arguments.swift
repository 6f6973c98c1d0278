/// A small hand-written argument parser: positionals, `--flag`, `--option VALUE`
/// and `--option=VALUE`. Usage errors exit 64 (DESIGN.md "Command line").
struct Arguments {
    var positionals: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    /// - Parameters:
    ///   - valueOptions: options that take a value (`-o`, `--in`, ...).
    ///   - flagOptions: options that take none (`--json`).
    init(_ arguments: [String], valueOptions: Set<String>, flagOptions: Set<String>) throws(UsageError) {
        var i = 0
        var onlyPositionals = false
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            var name = argument
            var inlineValue: String?
            if let eq = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<eq])
                inlineValue = String(argument[argument.index(after: eq)...])
            }
            if flagOptions.contains(name) {
                guard inlineValue == nil else { throw UsageError("\(name) takes no value") }
                flags.insert(name)
            } else if valueOptions.contains(name) {
                if let inlineValue {
                    options[name] = inlineValue
                } else {
                    guard i < arguments.count else { throw UsageError("\(name) needs a value") }
                    options[name] = arguments[i]
                    i += 1
                }
            } else {
                let known = (valueOptions.union(flagOptions)).sorted().joined(separator: ", ")
                throw UsageError("unknown option \(name); this command takes: \(known.isEmpty ? "no options" : known)")
            }
        }
    }

    func value(_ name: String) -> String? { options[name] }

    func required(_ name: String, what: String) throws(UsageError) -> String {
        guard let v = options[name], !v.isEmpty else { throw UsageError("missing \(name) \(what)") }
        return v
    }

    func integer(_ name: String) throws(UsageError) -> Int? {
        guard let text = options[name] else { return nil }
        guard let v = Int(text), v > 0 else { throw UsageError("\(name) needs a positive integer, not \"\(text)\"") }
        return v
    }

    /// Like `integer`, but 0 is allowed (counts that may be empty, e.g. training iterations).
    func nonNegativeInteger(_ name: String) throws(UsageError) -> Int? {
        guard let text = options[name] else { return nil }
        guard let v = Int(text), v >= 0 else { throw UsageError("\(name) needs a non-negative integer, not \"\(text)\"") }
        return v
    }

    /// `--grid N` or `--grid HxW` (a periodic grid): the height (`nil` for N) and the width, every
    /// size at least `minimum`. Returns the text too, for size errors that quote it.
    func grid(_ name: String, what: String, minimum: Int) throws(UsageError) -> (height: Int?, width: Int, text: String) {
        let text = try required(name, what: what)
        let sizes = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard sizes.count == 1 || sizes.count == 2, sizes.allSatisfy({ ($0 ?? 0) >= minimum }) else {
            throw UsageError("\(name) needs N or HxW with \(minimum == 1 ? "positive sizes" : "every size ≥ \(minimum)"), not \"\(text)\"")
        }
        return (sizes.count == 2 ? sizes[0]! : nil, sizes.last!!, text)
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func positional(_ index: Int, what: String) throws(UsageError) -> String {
        guard index < positionals.count else { throw UsageError("missing \(what)") }
        return positionals[index]
    }

    func expectPositionals(_ count: Int) throws(UsageError) {
        if positionals.count > count {
            throw UsageError("unexpected argument \"\(positionals[count])\"")
        }
    }
}

/// A usage error: printed with the command's usage line, exit code 64.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
