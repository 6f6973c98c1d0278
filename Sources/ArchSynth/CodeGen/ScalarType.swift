/// A precision the runtime's kernel primitives are printed in (`KernelHelpers.runtimeSupportSource`):
/// its Swift name and vector types. Generated files print their kernels once, generic over the
/// runtime's `GeneratedScalar`; the runtime holds one concrete copy of each primitive per `ScalarType`.
///
/// Vectors: `vector` (`lanes` wide: 8 Float / 4 Double, 32 bytes) for panel rows; `half`
/// (16 bytes) for the register-blocked matrix product, which keeps a 6 × 2 block of them in
/// the 16 SSE registers that every x86-64 has (no `-target-cpu` needed).
struct ScalarType: Sendable, Equatable {
    let name: String
    let lanes: Int
    let halfLanes: Int

    var vector: String { "SIMD\(lanes)<\(name)>" }
    var half: String { "SIMD\(halfLanes)<\(name)>" }

    static let float = ScalarType(name: "Float", lanes: 8, halfLanes: 4)
    static let double = ScalarType(name: "Double", lanes: 4, halfLanes: 2)
    static let all = [float, double]
}
