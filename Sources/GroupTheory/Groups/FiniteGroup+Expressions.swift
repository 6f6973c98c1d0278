/// Building representations from expressions (DESIGN.md "Representation expressions").
extension FiniteGroup {
    /// The dimension of an expression, exactly, without building anything — except that
    /// `sym2`/`alt2` of a dimension d ≥ 3·10⁹ report the upper bound d² (far above any limit).
    /// Throws `unknownRepresentation` for a name the group does not have.
    public func dimension(of expression: RepresentationExpression) throws(GroupError) -> BigUInt {
        switch expression {
        case let .named(name):
            if let rep = representations.first(where: { $0.name == name }) { return BigUInt(rep.representation.dimension) }
            if name == "trivial" { return 1 }
            if name == "regular" { return order }
            throw .unknownRepresentation(name, available: representationNames)
        case let .trivial(k):
            return BigUInt(k)
        case let .sum(a, b):
            return try dimension(of: a) + dimension(of: b)
        case let .tensor(a, b):
            return try dimension(of: a) * dimension(of: b)
        case let .power(a, k):
            let d = try dimension(of: a)
            var result: BigUInt = 1
            for _ in 0..<k { result *= d }
            return result
        case let .dual(a):
            return try dimension(of: a)
        case let .sym2(a), let .alt2(a):
            let d = try dimension(of: a)
            guard let n = d.intValue, n < 3_000_000_000 else { return d * d }
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
            throw .tooLarge(what: "the representation \(expression)", size: "dimension \(d)", limit: "\(options.maxDimension) (GroupOptions.maxDimension; command line: --max-rep-dimension N)")
        }
        if try !isMonomial(expression) {
            let entries = BigUInt(n) * BigUInt(n) * BigUInt(max(1, generatorCount))
            guard let e = entries.intValue, e <= options.maxDenseEntries else {
                throw .tooLarge(
                    what: "the dense matrices of \(expression)", size: "\(entries) entries",
                    limit: "\(options.maxDenseEntries) entries (GroupOptions.maxDenseEntries; command line: --max-dense-entries N)")
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
