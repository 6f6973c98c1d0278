/// Size limits of the files `archsynth generate template|block` writes (issue 18 §3): what
/// `generate` accepts must compile (`swiftc -swift-version 6 -warnings-as-errors`) and verify on a
/// 2-core, 24 GB machine; anything larger is refused before a byte is written, naming the limit
/// and the flag that raises it. The estimates come from the arguments and the group's order and
/// dimensions before the model is built (coordinate attention, the correspondence, swap-inversion,
/// the fixed-point blocks, an energy network's dense bound), so a refused command allocates nothing
/// large; the unrolled-gradient block's forms are counted once solved (its dimension is already
/// bounded by `--max-dimension`), before its file is printed.
///
/// Defaults:
/// - `maxParameters` 10,000,000 (`--max-parameters`): learnable parameters of one generated model,
///   all layers together (80 MB of Float64; training holds about four copies with Adam's moments).
/// - `maxConstants` 2,000,000 (`--max-constants`): constants baked into one generated file (basis
///   entries, group matrices, element tables), stored packed or as strings parsed at first use;
///   about 40 MB of source.
/// - `maxTableEntries` 16,777,216 (`--max-table-entries`): entries of the tables a generated model
///   builds when it first runs (the fixed-point blocks' points² shift tables, one per unrolled
///   step of the learned block: 128 MB of Float64).
///
/// ```swift
/// var limits = GenerationLimits()
/// try limits.check(parameters: 1_000, constants: 50_000, what: "coordinate attention")   // passes
/// ```
public struct GenerationLimits: Sendable, Equatable {
    public var maxParameters = 10_000_000
    public var maxConstants = 2_000_000
    public var maxTableEntries = 1 << 24

    public init() {}

    /// Throws `GenerationLimitError` for the first estimate above its limit (`nil`: not estimated).
    public func check(parameters: Int? = nil, constants: Int? = nil, tableEntries: Int? = nil, what: String) throws(GenerationLimitError) {
        if let parameters, parameters > maxParameters {
            throw GenerationLimitError(what: what, quantity: "learnable parameters", value: parameters, limit: maxParameters, flag: "--max-parameters")
        }
        if let constants, constants > maxConstants {
            throw GenerationLimitError(what: what, quantity: "constants baked into the file", value: constants, limit: maxConstants, flag: "--max-constants")
        }
        if let tableEntries, tableEntries > maxTableEntries {
            throw GenerationLimitError(what: what, quantity: "entries in runtime tables", value: tableEntries, limit: maxTableEntries, flag: "--max-table-entries")
        }
    }

    /// a · b · …, saturating at `Int.max` (estimates of sizes that may overflow).
    public static func product(_ factors: Int...) -> Int {
        var r = 1
        for f in factors {
            let (v, o) = r.multipliedReportingOverflow(by: max(f, 0))
            if o { return Int.max }
            r = v
        }
        return r
    }

    /// a + b + …, saturating at `Int.max`.
    public static func sum(_ terms: Int...) -> Int {
        var r = 0
        for t in terms {
            let (v, o) = r.addingReportingOverflow(t)
            if o { return Int.max }
            r = v
        }
        return r
    }
}

/// A generated model above one of `GenerationLimits`: what, how much, the limit and its flag.
public struct GenerationLimitError: Error, CustomStringConvertible, Equatable {
    public let what: String
    public let quantity: String
    public let value: Int
    public let limit: Int
    public let flag: String

    public var description: String {
        let amount = value == Int.max ? "more than \(Int.max)" : "\(value)"
        return "\(what) would have \(amount) \(quantity), above the limit of \(limit) (\(flag) N raises it; the defaults keep a generated file compilable and verifiable on a 2-core, 24 GB machine); use a smaller model"
    }
}
