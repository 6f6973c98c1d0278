/// Resource limits and tolerances for building and enumerating a group.
public struct GroupOptions: Sendable {
    /// Coset enumeration limits (see `EnumerationOptions`).
    public var enumeration: EnumerationOptions
    /// Largest group whose elements are listed (for conjugacy classes, characters,
    /// the regular representation, matrix closure and homomorphism checks).
    /// Default 200 000.
    public var maxElements: Int
    /// Largest dimension of a representation built from an expression. Default 4 000 000.
    public var maxDimension: Int
    /// Largest number of dense matrix entries (dimension² × generators) a non-monomial
    /// representation may hold. Default 64 000 000 (512 MB of Float64).
    public var maxDenseEntries: Int
    /// Largest entry of ρ(r) − I tolerated for a relator r of a real (Float64)
    /// representation. Default 1e-9.
    public var tolerance: Double
    /// The order of the spec's presentation found by an earlier coset enumeration of the same
    /// generators and relators (a cache kept by the caller, e.g. `GroupResolver`), or `nil`.
    /// Used only when that order is above `maxElements` (so the coset table would serve no
    /// element listing): the relators are still checked in every representation, but the
    /// presentation is not enumerated again and `orderMethod` says the order was cached.
    /// Default `nil`.
    public var cachedPresentationOrder: BigUInt? = nil
    /// Whether a presentation whose documented order is above `maxElements` is enumerated.
    /// When false (what `archsynth basis` sets: a weight-sharing basis depends only on the
    /// generator images, and no element listing is made above `maxElements`), the order comes
    /// from Schreier–Sims on the first permutation or signed-permutation representation when that
    /// order equals the documented one (the representation is then assumed faithful, and the
    /// group is at least that large since the relators hold in it); otherwise the presentation is
    /// enumerated as usual. The relators are checked in every representation either way.
    /// Default true.
    public var enumerateLargePresentations: Bool = true

    /// Options with the given limits; `cachedPresentationOrder` starts `nil` and
    /// `enumerateLargePresentations` true (set them afterwards).
    public init(
        enumeration: EnumerationOptions = EnumerationOptions(), maxElements: Int = 200_000,
        maxDimension: Int = 4_000_000, maxDenseEntries: Int = 64_000_000, tolerance: Double = 1e-9
    ) {
        self.enumeration = enumeration
        self.maxElements = maxElements
        self.maxDimension = maxDimension
        self.maxDenseEntries = maxDenseEntries
        self.tolerance = tolerance
    }
}
