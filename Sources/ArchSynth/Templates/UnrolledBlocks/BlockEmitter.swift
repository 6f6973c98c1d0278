/// Prints one unrolled-optimizer block as a Swift file: the block and the header it is printed
/// under. Each kind of block adds its `source()` in a constrained extension beside the block
/// (`UnrolledGradientEmitter`, `UnrolledGradientNetworkEmitter`, `UnrolledFixedPointNetworkEmitter`).
public struct BlockEmitter<Block> {
    /// The block to print.
    public let block: Block
    /// The tool version, spec and command printed at the top of the file.
    public let header: GeneratedFileHeader

    /// An emitter for `block` under `header`.
    public init(block: Block, header: GeneratedFileHeader) {
        self.block = block
        self.header = header
    }
}
