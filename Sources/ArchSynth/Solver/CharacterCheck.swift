import GroupTheory

/// The character cross-check (DESIGN.md "The solver"): dim Hom_G(V, W) = ⟨χ_V, χ_W⟩ =
/// (1/|G|) Σ_g χ_V(g⁻¹) χ_W(g) for real representations, and the bias dimension is
/// ⟨1, χ_W⟩. Made whenever the group can be enumerated within the limits; a mismatch throws.
///
/// The mathematics is GroupTheory's (`ExpressionCharacters`, `HomDimensions`); this type is the
/// solver glue: the limits of `SolverOptions`, the comparison with a computed basis, the
/// certificate it records and the solver's errors.
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
        let predicted = try dimensions { () throws(GroupError) in try HomDimensions(classes: classes, input: chiIn, output: chiOut) }
        let weights = predicted.maps, bias = predicted.fixedVectors
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
        let d = try dimensions { () throws(GroupError) in try table.homDimensions(from: input, to: output) }
        return (d.maps, d.fixedVectors)
    }

    func expressionCharacter(_ e: RepresentationExpression, _ table: inout ExpressionCharacters) throws -> [ExactOrReal] {
        do { return try table.character(of: e) } catch { throw SolverError.representation("\(error)") }
    }

    /// GroupTheory's errors as the solver's.
    func dimensions(_ body: () throws(GroupError) -> HomDimensions) throws -> HomDimensions {
        do { return try body() } catch {
            guard case let .nonIntegralInnerProduct(part, value) = error else { throw SolverError.representation("\(error)") }
            throw SolverError.nonIntegralCharacterProduct(
                what: part == .maps ? "weights" : "bias", value: value.exactValue?.description ?? "\(value.doubleValue)")
        }
    }
}
