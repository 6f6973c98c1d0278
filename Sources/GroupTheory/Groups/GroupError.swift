/// A group spec that is inconsistent or cannot be built. Every case names the
/// offending part (file, key, representation, generator, relator) and says what
/// to do next.
public enum GroupError: Error, CustomStringConvertible, Sendable {
    case presentation(String, at: SpecLocation)
    case enumeration(String)
    case singularImage(representation: String, generator: String, at: SpecLocation)
    case relatorViolated(representation: String, relator: String, residual: String, at: SpecLocation)
    case notAHomomorphism(representation: String, reason: String)
    case orderMismatch(documented: String, computed: BigUInt, method: String)
    case unknownRepresentation(String, available: [String])
    case noDefiningRepresentation(group: String)
    case closureLimitExceeded(representation: String, limit: Int)
    /// The matrices of a relator-free spec cannot generate a finite group.
    case infiniteMatrixGroup(representation: String, reason: String)
    /// A non-monomial representation of a relator-free group too large to list, which
    /// therefore cannot be checked to be a homomorphism.
    case uncheckedRepresentation(representation: String, defining: String, order: BigUInt, limit: Int)
    case tooLarge(what: String, size: String, limit: String)
    case notEnumerable(group: String, order: BigUInt, limit: Int, need: String)
    case unknownFamily(String)
    case invalidSpec(String, at: SpecLocation)
    case badFamilyParameter(String, reason: String)

    public var description: String {
        switch self {
        case let .presentation(message, location):
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
            return "the matrices of \"\(rep)\" generate more than \(limit) elements (or an infinite group): give \"relators\" so the group can be enumerated, or raise the closure limit (--max-elements)"
        case let .infiniteMatrixGroup(rep, reason):
            return "the matrices of \"\(rep)\" do not generate a finite group: \(reason); check the matrices, or give \"relators\""
        case let .uncheckedRepresentation(rep, defining, order, limit):
            return "representation \"\(rep)\" cannot be checked to be a homomorphism from \"\(defining)\": the group (order \(order)) is above the element limit \(limit) and the spec gives no relators. Add \"relators\" (every representation is then checked against them), or raise the limit with --max-elements \(order) if memory allows"
        case let .tooLarge(what, size, limit):
            return "\(what) would need \(size), above the limit of \(limit): use a smaller expression or raise the limit"
        case let .notEnumerable(group, order, limit, need):
            return "\(need) needs the elements of \(group), whose order \(order) is above the enumeration limit \(limit); raise it with --max-elements if memory allows"
        case let .invalidSpec(message, location):
            return "\(location): \(message)"
        case let .unknownFamily(text):
            return "unknown group \"\(text)\": give a spec file path, a catalog name (see `archsynth catalog`) or a family cyclic:N, dihedral:N, symmetric:N, alternating:N, hyperoctahedral:N, wallpaper:p4m:HxW, space:Oh:DxHxW, or G x H"
        case let .badFamilyParameter(text, reason):
            return "bad built-in group \"\(text)\": \(reason)"
        }
    }
}
