import GroupTheory

/// The character cross-check (DESIGN.md "The solver"): dim Hom_G(V, W) = ⟨χ_V, χ_W⟩ =
/// (1/|G|) Σ_g χ_V(g⁻¹) χ_W(g) for real representations, and the bias dimension is
/// ⟨1, χ_W⟩. Made whenever the group can be enumerated within the limits; a mismatch throws.
///
/// Characters of expressions come from GroupTheory's `ExpressionCharacters`; this type compares
/// them with a computed basis and records the certificate.
struct CharacterCheck {
    enum Source {
        case expression(RepresentationExpression)
        case representation(Representation)
    }

    let group: FiniteGroup
    let options: SolverOptions

    func check(_ basis: EquivariantBasis, input: Source, output: Source) throws -> CrossCheck {
        func record(_ weights: Int?, _ bias: Int?, _ note: String?) -> CrossCheck {
            CrossCheck(characterDimension: weights, characterBiasDimension: bias, characterNote: note,
                       residual: basis.crossCheck.residual, exactConstraintCheck: basis.crossCheck.exactConstraintCheck,
                       certificates: basis.crossCheck.certificates + (weights == nil ? [] : [.characters]))
        }
        guard options.characterCheck else { return record(nil, nil, "character check disabled") }
        guard let order = group.order.intValue, order <= options.characterCheckMaxOrder, group.isEnumerable else {
            let limit = min(options.characterCheckMaxOrder, group.options.maxElements)
            return record(nil, nil, "group order \(group.order) is above the enumeration limit of \(limit): character check not made")
        }
        let classes: ConjugacyClasses
        do {
            classes = try group.enumeration().conjugacyClasses()
        } catch {
            return record(nil, nil, "the group could not be enumerated (\(error)): character check not made")
        }
        var table = ExpressionCharacters(classes: classes, group: group)
        func character(_ source: Source) throws -> [ExactOrReal]? {
            switch source {
            case let .expression(e): return try expressionCharacter(e, &table)
            case let .representation(r):
                if !r.kind.isMonomial {
                    let lengths = classes.representativeWordLengths.reduce(0) { $0 + max(1, $1) }  // without building the words
                    let d = Double(r.dimension)
                    if d * d * d * Double(lengths) > options.denseCheckBudget { return nil }
                }
                return classes.character(of: r)
            }
        }
        guard let chiIn = try character(input), let chiOut = try character(output) else {
            return record(nil, nil, "the dense characters would cost more than the check budget: character check not made")
        }
        let ones = [ExactOrReal](repeating: .exact(.one), count: classes.count)
        let weights = try integral(classes.innerProduct(chiIn, chiOut), what: "weights")
        let bias = try integral(classes.innerProduct(ones, chiOut), what: "bias")
        if weights != basis.dimension {
            throw SolverError.characterMismatch(what: "weight basis elements", basisDimension: basis.dimension,
                                                characterDimension: weights, method: basis.method.description)
        }
        if bias != basis.biasDimension {
            throw SolverError.characterMismatch(what: "bias basis elements", basisDimension: basis.biasDimension,
                                                characterDimension: bias, method: basis.method.description)
        }
        return record(weights, bias, nil)
    }

    /// ⟨χ_in, χ_out⟩ and ⟨1, χ_out⟩ from the characters of the expressions alone, or
    /// `nil` when the group is above the character-check limits.
    func predictedDimensions(
        input: RepresentationExpression, output: RepresentationExpression
    ) throws -> (weights: Int, bias: Int)? {
        guard let order = group.order.intValue, order <= options.characterCheckMaxOrder, group.isEnumerable,
            let classes = try? group.enumeration().conjugacyClasses()
        else { return nil }
        var table = ExpressionCharacters(classes: classes, group: group)
        let chiIn = try expressionCharacter(input, &table)
        let chiOut = try expressionCharacter(output, &table)
        let ones = [ExactOrReal](repeating: .exact(.one), count: classes.count)
        return (try integral(classes.innerProduct(chiIn, chiOut), what: "weights"),
                try integral(classes.innerProduct(ones, chiOut), what: "bias"))
    }

    func expressionCharacter(_ e: RepresentationExpression, _ table: inout ExpressionCharacters) throws -> [ExactOrReal] {
        do { return try table.character(of: e) } catch { throw SolverError.representation("\(error)") }
    }

    func integral(_ value: ExactOrReal, what: String) throws -> Int {
        guard let n = value.nonnegativeInteger else {
            throw SolverError.nonIntegralCharacterProduct(what: what, value: value.exactValue?.description ?? "\(value.doubleValue)")
        }
        return n
    }
}
