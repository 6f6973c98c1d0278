/// Resource limits and strategy for Todd–Coxeter coset enumeration.
///
/// ```swift
/// var options = EnumerationOptions(maxCosets: 100_000)
/// options.strategy = .felsch
/// ```
public struct EnumerationOptions: Sendable, Hashable {
    /// How new cosets are defined.
    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        /// Hasselgrove–Leech–Trotter: scan every relator at each coset in turn,
        /// defining cosets to fill gaps; when the table is full, a lookahead pass
        /// (scanning without defining) looks for coincidences before giving up.
        /// Fast per coset, but may define many more cosets than the index.
        case hlt
        /// Felsch: define the first undefined table entry, then trace every relator
        /// through every new entry (deduction processing). Defines few redundant
        /// cosets; a little slower per coset.
        case felsch
        /// Felsch when every relator has at most `automaticFelschRelatorLength`
        /// letters (after cyclic reduction, with x² dropped for involutions), HLT
        /// otherwise. Measured: Felsch enumerates Coxeter groups (short relators)
        /// 3–4 times faster than HLT, but defines exponentially many cosets when a
        /// relator is long (PSL(2,p) with x^p), where HLT closes each relator at once.
        case automatic

        /// The longest relator for which `.automatic` chooses Felsch: 12.
        public static let automaticFelschRelatorLength = 12
    }

    /// Default `maxCosets`: 16,000,000. With 7 columns (E7's Coxeter presentation)
    /// the table then takes at most about 0.5 GB; every column costs 64 MB more.
    public static let defaultMaxCosets = 16_000_000

    /// Largest number of cosets the table may hold at once (live cosets plus
    /// coincident ones not yet reclaimed). Enumeration throws
    /// `EnumerationError.cosetLimitExceeded` when it needs more. Memory used is
    /// about `4 * (columns + 1)` bytes per coset, columns being 1 per involutory
    /// generator and 2 per other generator. Values below 1 count as 1; values above
    /// `Int32.max - 1` count as `Int32.max - 1`. Leave headroom above the expected
    /// index: HLT needs room for a whole coset's relator scans, and at the limit the
    /// enumeration gives up once reclaiming coincident rows stops paying off (it
    /// frees less than 1/64 of the table, 64 times).
    public var maxCosets: Int
    /// Largest number of entries (cosets × columns) the table may hold, whatever
    /// `maxCosets` says: 2²⁸ (1 GiB of `Int32`). Bounds memory for presentations with
    /// very many generators, where one coset's row alone is large.
    public static let maximumTableEntries = 1 << 28

    /// The definition strategy; `.automatic` by default.
    public var strategy: Strategy

    /// Options with the given coset limit (`defaultMaxCosets` by default) and strategy.
    public init(maxCosets: Int = EnumerationOptions.defaultMaxCosets, strategy: Strategy = .automatic) {
        self.maxCosets = maxCosets
        self.strategy = strategy
    }
}
