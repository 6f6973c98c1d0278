/// A validated finite group with named representations.
///
/// Built from a `GroupSpec` by `init(spec:options:)`, which checks everything
/// DESIGN.md asks: relators parse, every representation satisfies every relator
/// (or, without relators, is a homomorphism from the defining representation),
/// matrices are invertible, and the documented order is the computed one.
///
/// ```swift
/// let d4 = try FiniteGroup(spec: spec)
/// d4.order          // 8
/// ```
public struct FiniteGroup: Sendable {
    public let name: String
    public let description: String
    public let source: String?
    /// Where the spec came from (a file path, catalog name or family).
    public let origin: String
    public let generators: [String]
    public let presentation: Presentation?
    /// The spec's representations in file order (without `trivial` and `regular`).
    public let representations: [NamedRepresentation]
    public let order: BigUInt
    /// How `order` was computed, e.g. "coset enumeration" or "Schreier–Sims on facelets".
    public let orderMethod: String
    /// A faithful permutation action (one image per generator), when one is known.
    public let faithfulAction: [Permutation]?
    /// Facts established during validation, in order (for `archsynth info`).
    public let validationNotes: [String]
    public let options: GroupOptions
    /// The coset table over the trivial subgroup, when the presentation was enumerated.
    let cosetTable: CosetTable?
    /// The elements, when they were listed during validation (closure of matrices).
    let closure: GroupEnumeration?

    public var generatorCount: Int { generators.count }

    /// Names usable in expressions: the spec's, then `trivial` and `regular`.
    public var representationNames: [String] { representations.map(\.name) + ["trivial", "regular"] }

    /// True when the elements can be listed within `options.maxElements`.
    public var isEnumerable: Bool {
        if let n = order.intValue { return n <= options.maxElements }
        return false
    }

    /// The elements as a right Cayley table (cached across copies is not needed:
    /// callers keep the result).
    public func enumeration() throws(GroupError) -> GroupEnumeration {
        if let closure { return closure }
        guard isEnumerable else {
            throw .notEnumerable(group: name, order: order, limit: options.maxElements, need: "listing the elements")
        }
        if let table = cosetTable { return GroupEnumeration(cosetTable: table) }
        if let action = faithfulAction, let degree = action.first?.degree {
            if let result = GroupEnumeration.closure(
                identity: Permutation.identity(degree), generators: action, limit: options.maxElements,
                multiply: { $0 * $1 })
            {
                return result.enumeration
            }
        }
        throw .notEnumerable(group: name, order: order, limit: options.maxElements, need: "listing the elements")
    }

    /// A representation by name: the spec's, `trivial` or `regular`.
    public func representation(named name: String) throws(GroupError) -> Representation {
        if let rep = representations.first(where: { $0.name == name }) { return rep.representation }
        if name == "trivial" { return .trivial(generatorCount: generatorCount) }
        if name == "regular" {
            if let n = order.intValue, n > options.maxDimension {
                throw .tooLarge(what: "the regular representation", size: "dimension \(order)", limit: "\(options.maxDimension)")
            }
            return try enumeration().regularRepresentation
        }
        throw .unknownRepresentation(name, available: representationNames)
    }
}

/// A representation with the name the spec gives it.
public struct NamedRepresentation: Sendable {
    public let name: String
    public let representation: Representation
    public let location: SpecLocation
    /// Optional labels of basis vectors (e.g. vocabulary tokens).
    public let labels: [String]?

    public init(name: String, representation: Representation, location: SpecLocation, labels: [String]? = nil) {
        self.name = name
        self.representation = representation
        self.location = location
        self.labels = labels
    }
}

extension GroupEnumeration {
    /// The elements of a group from its coset table over the trivial subgroup.
    init(cosetTable table: CosetTable) {
        let n = table.cosetCount, k = table.generatorCount
        var entries = [Int32](repeating: 0, count: n * 2 * k)
        for c in 0..<n {
            for g in 0..<k {
                entries[c * 2 * k + 2 * g] = Int32(table.image(ofCoset: c, underLetter: Int32(g + 1)))
                entries[c * 2 * k + 2 * g + 1] = Int32(table.image(ofCoset: c, underLetter: -Int32(g + 1)))
            }
        }
        self.init(count: n, generatorCount: k, table: entries, words: table.representativeWords)
    }
}
