/// The one place where names headed for generated Swift are validated and escaped
/// (after swift-protobuf's `SwiftLanguage.swift`).
///
/// ```swift
/// try SwiftIdentifier.validateTypeName("SymmetricLayer5")   // ok
/// SwiftIdentifier.stringLiteral("say \"hi\"")                // "\"say \\\"hi\\\"\""
/// ```
public enum SwiftIdentifier {
    /// Swift keywords, including the contextual ones (`borrowing`, `consuming`, `some`,
    /// `actor`, …): a type with one of these names needs backticks or breaks parsing.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw",
        "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws",
        "true", "try", "_", "Type", "Protocol", "some", "any",
        "actor", "async", "borrowing", "consuming", "convenience", "copy", "didSet", "discard", "distributed",
        "dynamic", "each", "final", "get", "indirect", "infix", "isolated", "lazy", "left", "macro", "mutating",
        "none", "nonisolated", "nonmutating", "optional", "override", "package", "postfix", "precedence",
        "prefix", "required", "right", "sending", "set", "then", "unowned", "weak", "willSet",
    ]

    /// Global names that generated files and `verify`'s harness refer to: a type of the
    /// same name shadows them and the file (or the harness) no longer compiles.
    /// `SwiftIdentifierTests` checks that every name a generated layer (each strategy), network
    /// or the harness uses without declaring it is refused.
    static let usedByGeneratedCode: Set<String> = [
        // Modules.
        "Swift", "Foundation", "Glibc", "Darwin", "Dispatch",
        // Standard-library and Foundation types and protocols.
        "Float", "Double", "Float16", "Float32", "Float64", "Float80", "Int", "Int8", "Int16", "Int32", "Int64",
        "UInt", "UInt8", "UInt16", "UInt32", "UInt64", "Bool", "String", "Character", "Substring", "Array",
        "ArraySlice", "ContiguousArray", "Dictionary", "Set", "Optional", "Result", "Error", "Never", "Void",
        "Range", "ClosedRange", "Sequence", "Collection", "IteratorProtocol", "Equatable", "Hashable",
        "Comparable", "Sendable", "Codable", "Encodable", "Decodable", "Identifiable", "CustomStringConvertible",
        "CustomDebugStringConvertible", "BinaryFloatingPoint", "FloatingPoint", "Numeric", "SignedNumeric",
        "AdditiveArithmetic", "BinaryInteger", "FixedWidthInteger", "SignedInteger", "UnsignedInteger",
        "RandomNumberGenerator", "SystemRandomNumberGenerator", "AnyObject", "AnyClass", "AnyHashable",
        "ObjectIdentifier", "MemoryLayout", "StaticString", "Data", "URL", "Date", "UUID", "ProcessInfo",
        "FileManager", "FileHandle", "Process", "Pipe", "CommandLine", "Task", "MainActor", "Actor",
        // Global functions.
        "print", "debugPrint", "precondition", "preconditionFailure", "assert", "assertionFailure",
        "fatalError", "exit", "max", "min", "abs", "zip", "stride", "swap", "sequence", "repeatElement",
        "type", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "pow", "sqrt", "tanh", "sinh", "cosh",
        "sin", "cos", "tan", "atan", "atan2", "floor", "ceil", "round", "fabs", "main",
        // Names the verification harness's main uses at file scope (its own and the runtime's).
        "ArchSynthRuntime", "GeneratedEquivariantModel", "GeneratedModelVerifier", "GeneratorActions", "options", "actions",
    ]

    /// The top-level public types of ArchSynthRuntime. Generated networks, templates and blocks
    /// import it, and generated files share one target (the build plugin), so a type of one of
    /// these names in that target shadows the runtime's. `SwiftIdentifierTests` checks the list
    /// against the runtime's sources.
    static let runtimeTypes: Set<String> = [
        "Adam", "AffineAfter", "BatchGradient", "AffineField", "BlockGateNode", "CoordinatewiseNode", "FixedLinearCombination", "GridPlanesNode", "ScalarSpecializedNode", "BoundedDisplacement", "CanonicalSum", "CarlRegistration", "ChannelMean", "CircularCoordinate", "Concatenation", "ConsensusShift",
        "CoordinateAttention", "CoordinateJacobian", "DenseMatrix", "Derivatives", "Difference", "DifferentiableNode",
        "DisplacementComposition", "DisplacementWarp", "DistanceAttentionFeatures", "Dual", "ElementTree", "EquivariantActivation", "EquivariantHeadLoss",
        "FamilyResult", "FixedSparseMap", "GeneratedAction", "GeneratedBatchSplit", "GeneratedBiasBasis", "GeneratedBuild", "GeneratedEquivariantModel", "GeneratedLayer", "GeneratedLayerKernels", "GeneratedMatrixLayer", "GeneratedMatrixProducts",
        "GeneratedLayerState", "GeneratedModelVerifier", "GeneratedNetwork", "GeneratedNetworkLoss", "GeneratedNetworkOptimizer",
        "GeneratedNetworkParameters", "GeneratedPanelLayer", "GeneratedPanels", "GeneratedScalar", "GeneratedTables", "GridGeometry",
        "GeneratorActions", "GlobalShift", "GradientStep", "Graph", "GraphBuilder", "GridConvolution", "GridOffset", "IntensityRange",
        "InputFamily", "InvariantEnergyNetwork", "InvariantFormEnergy", "InvariantHeadLoss", "JointRollCanonicalization", "LatticeFieldNonlinearity", "LatticeFieldType", "LatticeKernelBasis", "LatticeStridedPooling",
        "Law", "LawReport", "LawfulModel",
        "LawfulModelVerifier", "LinearAction", "Loss", "LucasKanadeShift", "MatrixExponential", "NodeGradient",
        "NormGate", "ParameterBlock", "ParameterFreeNode", "PeriodicConvolutionKernel", "PeriodicGrid", "PeriodicSignal", "Permute",
        "PointFeatureLayer", "PointFeatureLayers", "Pointwise", "Product", "RegistrationNetworks", "ResultantConcentration",
        "RollCanonicalization", "RuntimeRandom", "RuntimeScalar", "RuntimeThreads", "SGD", "Scale", "Slice", "SmoothNormGate",
        "SoftCorrespondence", "SteerableLatticeConvolution", "Sum", "SwapInversionCore", "SwapInversionForm", "SwapInversionTwoStep",
        "TiedGridConvolution", "TiedLinear", "UnrolledBlockRow", "UnrolledFixedPoint", "UnrolledFixedPoint2D",
        "UnrolledGradient", "UnrolledShiftNetwork", "UnrolledSweep", "VelocityIntegration", "Warp"
    ]

    /// Keywords and names generated code relies on (see `keywords`, `usedByGeneratedCode`, `runtimeTypes`).
    static var reserved: Set<String> { keywords.union(usedByGeneratedCode).union(runtimeTypes) }

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
        guard !keywords.contains(name) else {
            throw .invalidTypeName(name, reason: "it is a Swift keyword")
        }
        guard !usedByGeneratedCode.contains(name) else {
            throw .invalidTypeName(name, reason: "generated code or verify's harness uses \(name) (a standard-library, Foundation or harness name), which a type of that name would shadow")
        }
        guard !runtimeTypes.contains(name) else {
            throw .invalidTypeName(name, reason: "\(name) is a type of ArchSynthRuntime, which generated networks, templates and blocks import; a type of that name would shadow it")
        }
        guard !name.hasPrefix("Unsafe"), !name.hasPrefix("withUnsafe"), !name.hasPrefix("__"), !name.hasPrefix("SIMD") else {
            throw .invalidTypeName(name, reason: "names starting with Unsafe, withUnsafe, SIMD or __ are the standard library's")
        }
        guard name.count <= 200 else { throw .invalidTypeName(name, reason: "it is longer than 200 characters") }
    }

    /// A Swift string literal holding `text` exactly.
    public static func stringLiteral(_ text: String) -> String { TextEscaping.swift(text) }

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
