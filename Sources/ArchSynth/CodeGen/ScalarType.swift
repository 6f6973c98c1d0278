/// A precision generated files print concrete entry points and model API for: its Swift name.
/// Generated kernels are printed once, generic over the runtime's `GeneratedScalar`, whose
/// primitives (`Sources/ArchSynthRuntime/Generated/GeneratedLayerKernels.swift`) have one body
/// for both precisions.
struct ScalarType: Sendable, Equatable {
    let name: String

    static let float = ScalarType(name: "Float")
    static let double = ScalarType(name: "Double")
    static let all = [float, double]
}
