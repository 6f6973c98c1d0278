/// A finite presentation ⟨x_0, …, x_{n-1} | r_1, …, r_m⟩.
///
/// ```swift
/// let d4 = try Presentation(generators: ["r", "s"], relatorTexts: ["r^4", "s^2", "(s*r)^2"])
/// d4.relators.count   // 3
/// ```
public struct Presentation: Hashable, Sendable {
    /// Generator names, in order; `Word` letters refer to these by index.
    public var generators: [String]
    /// Relators: words equal to the identity in the group.
    public var relators: [Word]
    /// The source text of each relator (for error messages); same length as `relators`.
    public var relatorTexts: [String]

    /// A presentation from parsed relators; `relatorTexts` defaults to each relator
    /// formatted with the generator names. Names and letters are not validated here
    /// (the parsing initializer `init(generators:relatorTexts:)` validates both).
    public init(generators: [String], relators: [Word], relatorTexts: [String]? = nil) {
        self.generators = generators
        self.relators = relators
        self.relatorTexts = relatorTexts ?? relators.map { $0.formatted(names: generators) }
    }

    /// The number n of generators.
    public var generatorCount: Int { generators.count }
}
