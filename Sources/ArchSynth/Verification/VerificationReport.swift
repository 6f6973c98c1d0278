import ArchSynthRuntime
import GroupTheory

/// The result of an out-of-distribution check: worst relative equivariance error per input
/// family and precision (`FamilyResult.worst` for Float64, `floatWorst` for the Float forward pass
/// of generated code), against thresholds appropriate to the precision.
public struct VerificationReport: Sendable {

    /// What was checked (a file name or `SPEC --in … --out …`).
    public let subject: String
    public let elementCount: Int
    /// True when every element of the acting group was checked (else random words + generators).
    public let allElements: Bool
    public let parameterDraws: Int
    public let results: [FamilyResult]
    /// The largest relative change of the output between independent standard-normal inputs
    /// (nil: not measured). At most `degenerateBelow` means the output ignores the input: such a
    /// model obeys every law trivially and does not pass.
    public let sensitivity: Double?
    public let floatThreshold: Double?
    public let doubleThreshold: Double

    /// Defaults: Float 1e-4 relative (about 800 ulps at Float's 2⁻²³ ≈ 1.2e-7, room for
    /// summation-order differences across permuted inputs), Float64 1e-9.
    public static let defaultFloatThreshold = 1e-4
    public static let defaultDoubleThreshold = 1e-9
    /// A model whose output moves by at most this much (relative) between independent
    /// standard-normal inputs is degenerate (a constant or zero output).
    public static let degenerateBelow = 1e-9

    public init(
        subject: String, elementCount: Int, allElements: Bool, parameterDraws: Int, results: [FamilyResult], sensitivity: Double? = nil,
        floatThreshold: Double?, doubleThreshold: Double
    ) {
        self.subject = subject
        self.elementCount = elementCount
        self.allElements = allElements
        self.parameterDraws = parameterDraws
        self.results = results
        self.sensitivity = sensitivity
        self.floatThreshold = floatThreshold
        self.doubleThreshold = doubleThreshold
    }

    /// True when the output does not depend on the input (see `sensitivity`; NaN marks a layer
    /// without weights, constant by construction, which is not degenerate but says so).
    public var isDegenerate: Bool { sensitivity.map { !$0.isNaN && !($0 > VerificationReport.degenerateBelow) } ?? false }

    public var passed: Bool {
        !isDegenerate && results.allSatisfy { r in
            r.worst.isFinite && r.worst <= doubleThreshold
                && (r.floatWorst.map { $0.isFinite && $0 <= (floatThreshold ?? .infinity) } ?? true)
        }
    }

    public var text: String {
        var lines = ["verify \(subject)"]
        lines.append(
            allElements
                ? "elements: all \(elementCount) elements of the acting group"
                : "elements: \(elementCount) (every generator plus random words; the group was not enumerated)")
        lines.append("parameter draws: \(parameterDraws) (random weights, with and without bias)")
        func fmt(_ x: Double) -> String {
            let s = x == 0 ? "0" : NumberFormat.scientific(x)
            return s.padding(12)
        }
        var header = "family".padding(16)
        if floatThreshold != nil { header += "Float".padding(12) }
        header += "Double"
        lines.append(header)
        for r in results {
            var line = r.family.padding(16)
            if let f = r.floatWorst { line += fmt(f) }
            line += fmt(r.worst)
            lines.append(line)
        }
        var thresholds = "thresholds: "
        if let f = floatThreshold { thresholds += "Float \(NumberFormat.scientific(f)), " }
        thresholds += "Double \(NumberFormat.scientific(doubleThreshold)) (worst relative error ‖f(ρ_in(g)x) − ρ_out(g)f(x)‖ / max(‖ρ_out(g)f(x)‖, ‖f(ρ_in(g)x)‖, γ·min(‖ρ_in(g)x‖, ν)), γ = max ‖f(x₀)‖/‖x₀‖ and ν = max ‖x₀‖ over two standard-normal x₀)"
        lines.append(thresholds)
        if isDegenerate { lines.append(VerificationReport.degenerateText(sensitivity ?? 0)) }
        if sensitivity?.isNaN == true {
            lines.append("note: no weights (the only equivariant linear map is 0), so the output is the bias alone, constant by construction")
        }
        lines.append(passed ? "PASS" : "FAIL")
        return lines.joined(separator: "\n")
    }

    public var json: JSONValue {
        .object([
            ("subject", .string(subject)),
            ("elements", .int(elementCount)),
            ("allElements", .bool(allElements)),
            ("parameterDraws", .int(parameterDraws)),
            ("floatThreshold", floatThreshold.map(JSONValue.double) ?? .null),
            ("doubleThreshold", .double(doubleThreshold)),
            ("families", .array(results.map { r in
                .object([
                    ("family", .string(r.family)),
                    ("floatError", r.floatWorst.map(JSONValue.double) ?? .null),
                    ("doubleError", .double(r.worst)),
                ])
            })),
            ("sensitivity", sensitivity.flatMap { $0.isNaN ? nil : JSONValue.double($0) } ?? .null),
            ("degenerate", .bool(isDegenerate)),
            ("passed", .bool(passed)),
        ])
    }

    static func degenerateText(_ sensitivity: Double) -> String {
        "DEGENERATE: the output does not depend on the input (largest relative change \(NumberFormat.scientific(sensitivity)) ≤ \(NumberFormat.scientific(degenerateBelow)) between independent standard-normal inputs), so it obeys every law trivially"
    }
}

/// The result of checking one law of one generated model on the out-of-distribution families.
public struct LawVerificationReport: Sendable {
    public let subject: String
    public let law: String
    public let elementCount: Int
    public let allElements: Bool
    public let threshold: Double
    public var results: [FamilyResult]
    /// The largest relative change of the output between independent standard-normal inputs
    /// (`LawfulModelVerifier.sensitivity`); degenerate at or below `VerificationReport.degenerateBelow`.
    public var sensitivity: Double?

    public var isDegenerate: Bool { sensitivity.map { !($0 > VerificationReport.degenerateBelow) } ?? false }

    public var passed: Bool { !isDegenerate && !results.isEmpty && results.allSatisfy { $0.worst.isFinite && $0.worst <= threshold } }
    public var worst: Double { results.map(\.worst).max() ?? .infinity }

    public var text: String {
        var lines = ["verify \(subject): law \(law)"]
        lines.append(allElements ? "elements: all \(elementCount)" : "elements: \(elementCount) (generators and random elements)")
        lines.append("family".padding(toLength: 16, withPad: " ", startingAt: 0) + "worst error".padding(toLength: 14, withPad: " ", startingAt: 0) + "at")
        for r in results {
            lines.append(r.family.padding(toLength: 16, withPad: " ", startingAt: 0) + NumberFormat.scientific(r.worst).padding(toLength: 14, withPad: " ", startingAt: 0) + (r.element ?? ""))
        }
        lines.append("threshold: \(NumberFormat.scientific(threshold)) (archsynth's, rebuilt from the header)")
        if isDegenerate { lines.append(VerificationReport.degenerateText(sensitivity ?? 0)) }
        lines.append(passed ? "PASS" : "FAIL")
        return lines.joined(separator: "\n")
    }

    /// The report for `archsynth verify FILE --json`.
    public var json: JSONValue {
        .object([
            ("subject", .string(subject)), ("law", .string(law)), ("elements", .int(elementCount)),
            ("allElements", .bool(allElements)), ("threshold", .double(threshold)),
            ("sensitivity", sensitivity.map(JSONValue.double) ?? .null), ("degenerate", .bool(isDegenerate)), ("passed", .bool(passed)),
            ("families", .array(results.map { .object([("family", .string($0.family)), ("error", .double($0.worst)), ("element", .string($0.element ?? ""))]) })),
        ])
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
