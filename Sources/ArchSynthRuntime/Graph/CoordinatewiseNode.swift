/// A node whose inputs and output all have `size` values: `inputCount` inputs (1 unless the node
/// says otherwise) and an output of the same size (`Pointwise`, `Scale`, `Sum`, `Difference`,
/// `Product`, and the block gates, whose parameters are one bias per block).
public protocol CoordinatewiseNode: DifferentiableNode {
    /// The size of every input and of the output.
    var size: Int { get }
    /// How many inputs of `size` values the node takes.
    static var inputCount: Int { get }
}

extension CoordinatewiseNode {
    /// One input unless the node says otherwise.
    public static var inputCount: Int { 1 }
    /// `inputCount` inputs of `size` values each.
    public var inputSizes: [Int] { Array(repeating: size, count: Self.inputCount) }
    /// `size`.
    public var outputSize: Int { size }
}

/// A gate per block B of a `CoordinatewiseNode`'s input: coordinates outside every block pass
/// through, and the parameters are one learned bias b_B per block (`NormGate`, `SmoothNormGate`).
public protocol BlockGateNode: CoordinatewiseNode {
    /// The blocks B: each a list of coordinates with one gate.
    var blocks: [[Int]] { get }
}

extension BlockGateNode {
    /// One gate bias b_B per block.
    public var parameterCount: Int { blocks.count }
}
