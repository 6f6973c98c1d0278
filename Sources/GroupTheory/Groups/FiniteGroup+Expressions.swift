/// Building representations from expressions (DESIGN.md "Representation expressions").
extension FiniteGroup {
    /// Largest dimension computed exactly, in bits (2^4096). Every size limit is far below it; an
    /// expression above it (`sym2` nested 50 deep squares the dimension 50 times: 2^(2^50) bits)
    /// is refused from a bound on its bit width, before any big-integer arithmetic.
    public static let maxDimensionBits = 4096

    /// The dimension of an expression, exactly, without building anything; throws `tooLarge`
    /// when it has more than `maxDimensionBits` bits (the bound is checked first, in O(size of the
    /// expression) word arithmetic); `unknownRepresentation` for a name the group does not have.
    public func dimension(of expression: RepresentationExpression) throws(GroupError) -> BigUInt {
        let bits = try dimensionBitBound(expression)
        guard bits <= Self.maxDimensionBits else {
            throw .tooLarge(
                what: "the representation \(expression)", size: "dimension above 2^\(Self.maxDimensionBits)",
                limit: options.maxDimension, option: .maxDimension)
        }
        return try exactDimension(of: expression)
    }

    /// An upper bound on the bit width of the dimension, saturating (never overflows).
    private func dimensionBitBound(_ expression: RepresentationExpression) throws(GroupError) -> Int {
        let cap = Self.maxDimensionBits + 1
        switch expression {
        case let .named(name):
            if let rep = representations.first(where: { $0.name == name }) { return Int.bitWidth - rep.representation.dimension.leadingZeroBitCount }
            if name == "trivial" { return 1 }
            if name == "regular" { return order.bitWidth }
            throw .unknownRepresentation(name, available: representationNames)
        case let .trivial(k):
            return Int.bitWidth - k.leadingZeroBitCount
        case let .sum(a, b):
            return min(cap, max(try dimensionBitBound(a), try dimensionBitBound(b)) + 1)
        case let .tensor(a, b):
            return min(cap, try dimensionBitBound(a) + dimensionBitBound(b))
        case let .power(a, k):
            let (v, o) = try dimensionBitBound(a).multipliedReportingOverflow(by: max(k, 0))
            return o ? cap : min(cap, v)
        case let .dual(a):
            return try dimensionBitBound(a)
        case let .sym2(a), let .alt2(a):
            return min(cap, 2 * (try dimensionBitBound(a)))
        }
    }

    private func exactDimension(of expression: RepresentationExpression) throws(GroupError) -> BigUInt {
        switch expression {
        case let .named(name):
            if let rep = representations.first(where: { $0.name == name }) { return BigUInt(rep.representation.dimension) }
            if name == "trivial" { return 1 }
            if name == "regular" { return order }
            throw .unknownRepresentation(name, available: representationNames)
        case let .trivial(k):
            return BigUInt(k)
        case let .sum(a, b):
            return try exactDimension(of: a) + dimension(of: b)
        case let .tensor(a, b):
            return try exactDimension(of: a) * dimension(of: b)
        case let .power(a, k):
            let d = try exactDimension(of: a)
            var result: BigUInt = 1
            for _ in 0..<k { result *= d }
            return result
        case let .dual(a):
            return try exactDimension(of: a)
        case let .sym2(a), let .alt2(a):
            let d = try exactDimension(of: a)
            guard let n = d.intValue, n < 3_000_000_000 else {
                // Exactly, in big integers (it returned d², which error messages then quoted).
                return expression.isSym2 ? d * (d + 1) / 2 : (d == 0 ? 0 : d * (d - 1) / 2)
            }
            return BigUInt(expression.isSym2 ? n * (n + 1) / 2 : n * (n - 1) / 2)
        }
    }

    /// Whether every representation the expression uses is monomial (then so is the result,
    /// except that `dual` of a monomial representation is itself).
    func isMonomial(_ expression: RepresentationExpression) throws(GroupError) -> Bool {
        for name in expression.referencedNames where name != "trivial" && name != "regular" {
            guard let rep = representations.first(where: { $0.name == name }) else {
                throw .unknownRepresentation(name, available: representationNames)
            }
            if !rep.representation.kind.isMonomial { return false }
        }
        return true
    }

    /// Builds the representation an expression denotes, after checking its size
    /// against `options.maxDimension` (and, for dense matrices, `maxDenseEntries`)
    /// before allocating anything.
    public func representation(for expression: RepresentationExpression) throws(GroupError) -> Representation {
        let d = try dimension(of: expression)
        guard let n = d.intValue, n <= options.maxDimension else {
            throw .tooLarge(what: "the representation \(expression)", size: "dimension \(d)", limit: options.maxDimension, option: .maxDimension)
        }
        if try !isMonomial(expression) {
            let entries = BigUInt(n) * BigUInt(n) * BigUInt(max(1, generatorCount))
            guard let e = entries.intValue, e <= options.maxDenseEntries else {
                throw .tooLarge(
                    what: "the dense matrices of \(expression)", size: "\(entries) entries",
                    limit: options.maxDenseEntries, option: .maxDenseEntries)
            }
        }
        return try build(expression)
    }

    /// Parses and builds in one step.
    public func representation(parsing text: String) throws(RepresentationRequestError) -> Representation {
        let expression: RepresentationExpression
        do { expression = try RepresentationExpression(parsing: text) } catch { throw .expression(error) }
        do { return try representation(for: expression) } catch { throw .group(error) }
    }

    private func build(_ expression: RepresentationExpression) throws(GroupError) -> Representation {
        switch expression {
        case let .named(name):
            return try representation(named: name)
        case let .trivial(k):
            return .trivial(dimension: k, generatorCount: generatorCount)
        case let .sum(a, b):
            return .directSum(try build(a), try build(b))
        case let .tensor(a, b):
            return .tensor(try build(a), try build(b))
        case let .power(a, k):
            return try build(a).tensorPower(k)
        case let .dual(a):
            guard let dual = try build(a).dual else {
                preconditionFailure("validated representations have invertible images, and so do their sums, products and squares")
            }
            return dual
        case let .sym2(a):
            return try build(a).symmetricSquare
        case let .alt2(a):
            return try build(a).exteriorSquare
        }
    }
}

extension RepresentationExpression {
    var isSym2: Bool { if case .sym2 = self { return true } else { return false } }
}

/// An expression that cannot be parsed or built for a group.
public enum RepresentationRequestError: Error, CustomStringConvertible, Sendable {
    /// The text does not parse as an expression.
    case expression(RepresentationExpressionError)
    /// The parsed expression cannot be built: an unknown name, or a result above the limits.
    case group(GroupError)

    /// The underlying error's message.
    public var description: String {
        switch self {
        case let .expression(e): return "\(e)"
        case let .group(e): return "\(e)"
        }
    }
}
