/// The scalar type of one emitted precision: its Swift name, the vector types the kernels use
/// and the names of the derived arrays the layer keeps for it. Every kernel is printed once per
/// `ScalarType` (Float and Double are both concrete code; see `LayerEmitter`).
///
/// Vectors: `vector` (`lanes` wide: 8 Float / 4 Double, 32 bytes) for panel rows; `half`
/// (16 bytes) for the register-blocked matrix product, which keeps a 6 × 2 block of them in
/// the 16 SSE registers that every x86-64 has (no `-target-cpu` needed).
struct ScalarType: Sendable, Equatable {
    let name: String
    let lanes: Int
    let halfLanes: Int
    let suffix: String

    var vector: String { "SIMD\(lanes)<\(name)>" }
    /// Bytes per scalar (a `vector` is 32 bytes).
    var size: Int { 32 / lanes }
    var half: String { "SIMD\(halfLanes)<\(name)>" }
    var coefficients: String { "coefficients" + suffix }
    var biasVector: String { "biasVector" + suffix }

    /// `expression`, an array of this precision, converted to precision `target`.
    func converting(_ expression: String, to target: ScalarType) -> String {
        target == self ? expression : "\(expression).map { \(target.name)($0) }"
    }

    static let float = ScalarType(name: "Float", lanes: 8, halfLanes: 4, suffix: "F")
    static let double = ScalarType(name: "Double", lanes: 4, halfLanes: 2, suffix: "D")
    static let all = [float, double]
}
