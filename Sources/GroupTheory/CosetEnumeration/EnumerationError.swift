/// Why a coset enumeration stopped without a complete table.
///
/// ```swift
/// let free = try Presentation(generators: ["a", "b"], relatorTexts: [])
/// try free.order(options: .init(maxCosets: 1000))   // throws .cosetLimitExceeded(limit: 1000, ...)
/// ```
public enum EnumerationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// More than `limit` cosets were needed at once; `liveCosets` were live when it stopped.
    case cosetLimitExceeded(limit: Int, liveCosets: Int)
    /// The table would need more than `limit` entries: `columns` per coset, so at most
    /// `cosets` cosets fit (presentations with very many generators).
    case tableTooLarge(columns: Int, cosets: Int, limit: Int)
    /// A relator or subgroup word uses a generator the presentation does not have.
    case letterOutOfRange(letter: Int32, generatorCount: Int, word: String)

    /// A one-line message with the limit reached and how to raise it.
    public var description: String {
        switch self {
        case let .cosetLimitExceeded(limit, live):
            return "coset enumeration exceeded the limit of \(limit) cosets (\(live) live when it stopped): "
                + "the group may be infinite, or the subgroup's index larger than the limit. "
                + "Raise the limit with \(ResourceLimit.maxCosets); "
                + "each coset takes a few dozen bytes."
        case let .tableTooLarge(columns, cosets, limit):
            return "coset enumeration needs more than \(cosets) cosets of \(columns) columns each, above the limit of \(limit) table entries "
                + "(\(limit / (1 << 28)) GiB): the group may be infinite, or too large to enumerate with this many generators. "
                + "Use fewer generators, or give the group by permutations without relators."
        case let .letterOutOfRange(letter, count, word):
            return "the word \(word) uses letter \(letter), but the presentation has only \(count) generator\(count == 1 ? "" : "s")"
        }
    }
}
