import ArchSynthRuntime
import GroupTheory

/// The law of an unrolled block: the group, listed whole, acting by linear maps (the solver glue
/// around GroupTheory's `GroupActionTable`).
///
/// ```swift
/// let table = try GroupActionTable(group: g, representations: [rx, rc], maxElements: 512)
/// let law = table.law(name: "S4 on (x, c) → x", inputs: [0, 1], output: 0)
/// ```
extension GroupActionTable {
    /// The table of `group`, refused (`UnrolledBlockError.groupTooLarge`) above `maxElements`:
    /// unrolled blocks state their law over every element.
    public init(group: FiniteGroup, representations: [Representation], maxElements: Int) throws {
        guard group.isEnumerable, let order = group.order.intValue, order <= maxElements else {
            throw UnrolledBlockError.groupTooLarge(order: group.order.description, limit: maxElements)
        }
        try self.init(group: group, representations: representations)
    }

    /// Linear actions of representation r, one per element.
    public func actions(_ r: Int) -> [LinearAction] {
        matrices[r].map { .matrix($0, dimensions[r]) }
    }

    /// The group acting on the inputs by the representations `inputs` and on the output by `output`.
    public func law(name: String, inputs: [Int], output: Int) -> Law {
        Law.linear(name: name, inputs: inputs.map(actions), output: actions(output), isComplete: true)
    }
}

