/// A group spec that is inconsistent or cannot be built. Every case names the
/// offending part (file, key, representation, generator, relator) and says what
/// to do next.
public enum GroupError: Error, CustomStringConvertible, Sendable {
    /// A relator that does not parse, or a generator in no relator (an infinite group).
    case presentation(String, at: SpecLocation)
    /// Coset enumeration of the presentation failed (the message says why, e.g. the coset limit).
    case enumeration(String)
    /// A generator's matrix is not invertible.
    case singularImage(representation: String, generator: String, at: SpecLocation)
    /// A representation in which a relator is not the identity; `residual` says by how much.
    case relatorViolated(representation: String, relator: String, residual: String, at: SpecLocation)
    /// In a relator-free spec, a representation that does not respect the defining one's products.
    case notAHomomorphism(representation: String, reason: String)
    /// The spec's `"order"` differs from (or is not) the order computed by `method`.
    case orderMismatch(documented: String, computed: BigUInt, method: String)
    /// A representation name the group does not have; `available` lists those it has.
    case unknownRepresentation(String, available: [String])
    /// A spec with neither relators nor a representation to generate the group.
    case noDefiningRepresentation(group: String)
    /// The defining matrices generate more than `limit` elements (or an infinite group);
    /// `limit` is `GroupOptions.maxElements`.
    case closureLimitExceeded(representation: String, limit: Int)
    /// The matrices of a relator-free spec cannot generate a finite group.
    case infiniteMatrixGroup(representation: String, reason: String)
    /// A non-monomial representation of a relator-free group too large to list, which
    /// therefore cannot be checked to be a homomorphism.
    case uncheckedRepresentation(representation: String, defining: String, order: BigUInt, limit: Int)
    /// A requested object (e.g. a representation's dimension) above the `GroupOptions` limit
    /// `option`, whose value was `limit`; `size` is what it would have needed.
    case tooLarge(what: String, size: String, limit: Int, option: ResourceLimit)
    /// `need` requires listing the elements, but the order is above `limit` (`maxElements`)
    /// or no coset table or faithful action is known.
    case notEnumerable(group: String, order: BigUInt, limit: Int, need: String)
    /// `family:N` text whose family is not a built-in one.
    case unknownFamily(String)
    /// Malformed spec data, e.g. an image that is not a permutation or a square matrix.
    case invalidSpec(String, at: SpecLocation)
    /// A built-in family with a bad parameter (`dihedral:2`, `symmetric:x`, a bad grid).
    case badFamilyParameter(String, reason: String)
    /// A character inner product (`HomDimensions`) that is not a non-negative integer.
    case nonIntegralInnerProduct(HomDimensions.Part, value: ExactOrReal)

    /// A one-line message naming the offending part and what to do next.
    public var description: String {
        switch self {
        case let .presentation(message, location), let .invalidSpec(message, location):
            return "\(location): \(message)"
        case let .enumeration(message):
            return message
        case let .singularImage(rep, gen, location):
            return "\(location): the image of generator \(gen) in representation \"\(rep)\" is not invertible"
        case let .relatorViolated(rep, relator, residual, location):
            return "\(location): representation \"\(rep)\" violates the relator \(relator) (residual \(residual)): its matrices do not define a representation of this group"
        case let .notAHomomorphism(rep, reason):
            return "representation \"\(rep)\" is not a homomorphism from the defining group: \(reason)"
        case let .orderMismatch(documented, computed, method):
            return "the spec documents order \(documented) but \(method) gives \(computed): fix \"order\" or the generators"
        case let .unknownRepresentation(name, available):
            return "unknown representation \"\(name)\"; this group has: \(available.joined(separator: ", "))"
        case let .noDefiningRepresentation(group):
            return "group \(group) has neither relators nor a representation to generate it: add \"relators\" or a representation"
        case let .closureLimitExceeded(rep, limit):
            return "the matrices of \"\(rep)\" generate more than \(limit) elements (or an infinite group): give \"relators\" so the group can be enumerated, or \(ResourceLimit.maxElements.raiseAdvice())"
        case let .infiniteMatrixGroup(rep, reason):
            return "the matrices of \"\(rep)\" do not generate a finite group: \(reason); check the matrices, or give \"relators\""
        case let .uncheckedRepresentation(rep, defining, order, limit):
            return "representation \"\(rep)\" cannot be checked to be a homomorphism from \"\(defining)\": the group (order \(order)) is above the element limit \(limit) and the spec gives no relators. Add \"relators\" (every representation is then checked against them), or \(ResourceLimit.maxElements.raiseAdvice(to: "\(order)"))"
        case let .tooLarge(what, size, limit, option):
            let unit = option == .maxDenseEntries ? " entries" : ""
            return "\(what) would need \(size), above the limit of \(limit)\(unit): use a smaller expression or raise \(option)"
        case let .notEnumerable(group, order, limit, need):
            return "\(need) needs the elements of \(group), whose order \(order) is above the enumeration limit \(limit); \(ResourceLimit.maxElements.raiseAdvice())"
        case let .unknownFamily(text):
            return "unknown group \"\(text)\": give a spec file path, a catalog name (see `archsynth catalog`) or a family cyclic:N, dihedral:N, symmetric:N, alternating:N, hyperoctahedral:N, wallpaper:p4m:HxW, space:Oh:DxHxW, or G x H"
        case let .badFamilyParameter(text, reason):
            return "bad built-in group \"\(text)\": \(reason)"
        case let .nonIntegralInnerProduct(part, value):
            let product = part == .maps ? "⟨χ_in, χ_out⟩" : "⟨1, χ_out⟩"
            return "the character inner product \(product) is \(value), not a non-negative integer: the representations are probably not homomorphisms of the same group (check their matrices)"
        }
    }
}
