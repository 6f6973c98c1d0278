import GroupTheory

/// The character cross-check (DESIGN.md "The solver"): dim Hom_G(V, W) = ⟨χ_V, χ_W⟩ =
/// (1/|G|) Σ_g χ_V(g⁻¹) χ_W(g) for real representations, and the bias dimension is
/// ⟨1, χ_W⟩. Made whenever the group can be enumerated within the limits; a mismatch throws.
///
/// Characters of expressions are computed from those of the named representations, without
/// building anything large: χ(a+b) = χa + χb, χ(a⊗b) = χa·χb, χ(a^k) = χa^k, χ(k) = k,
/// χ(dual a) = χa (real representations of a finite group), χ(sym2 a)(g) = (χa(g)² + χa(g²))/2,
/// χ(alt2 a)(g) = (χa(g)² − χa(g²))/2, χ_regular = (|G|, 0, …, 0).
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
        let table = Table(classes: classes, group: group)
        var cache: [RepresentationExpression: [CharacterValue]] = [:]
        func character(_ source: Source) throws -> [CharacterValue]? {
            switch source {
            case let .expression(e): return try table.character(of: e, cache: &cache)
            case let .representation(r):
                if !r.kind.isMonomial {
                    let lengths = classes.representativeWords.reduce(0) { $0 + max(1, $1.letters.count) }
                    let d = Double(r.dimension)
                    if d * d * d * Double(lengths) > options.denseCheckBudget { return nil }
                }
                return classes.character(of: r)
            }
        }
        guard let chiIn = try character(input), let chiOut = try character(output) else {
            return record(nil, nil, "the dense characters would cost more than the check budget: character check not made")
        }
        let ones = [CharacterValue](repeating: .exact(.one), count: classes.count)
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

    func integral(_ value: CharacterValue, what: String) throws -> Int {
        switch value {
        case let .exact(r):
            guard r.isInteger, r.signum >= 0, r.hasInt64Parts else {
                throw SolverError.nonIntegralCharacterProduct(what: what, value: r.description)
            }
            return Int(r.numerator)
        case let .real(x):
            let rounded = x.rounded()
            guard abs(x - rounded) <= 1e-6 * max(1, abs(x)), rounded >= 0 else {
                throw SolverError.nonIntegralCharacterProduct(what: what, value: "\(x)")
            }
            return Int(rounded)
        }
    }

    /// Class functions of an enumerated group.
    struct Table {
        let classes: ConjugacyClasses
        let group: FiniteGroup
        /// The class of g² for g in each class (the power map, for sym2/alt2).
        let squareClass: [Int]

        init(classes: ConjugacyClasses, group: FiniteGroup) {
            self.classes = classes
            self.group = group
            let e = classes.enumeration
            squareClass = classes.representatives.map { x in classes.classOf[e.product(x, x)] }
        }

        func character(
            of e: RepresentationExpression, cache: inout [RepresentationExpression: [CharacterValue]]
        ) throws -> [CharacterValue] {
            if let c = cache[e] { return c }
            let n = classes.count
            let result: [CharacterValue]
            switch e {
            case let .named(name):
                if name == "regular", !group.representations.contains(where: { $0.name == "regular" }) {
                    result = (0..<n).map { $0 == 0 ? .exact(Rational(classes.enumeration.count)) : .exact(.zero) }
                } else {
                    let rep: Representation
                    do { rep = try group.representation(named: name) } catch {
                        throw SolverError.representation("\(error)")
                    }
                    result = classes.character(of: rep)
                }
            case let .trivial(k):
                result = Array(repeating: .exact(Rational(k)), count: n)
            case let .sum(a, b):
                result = zip(try character(of: a, cache: &cache), try character(of: b, cache: &cache)).map(Self.add)
            case let .tensor(a, b):
                result = zip(try character(of: a, cache: &cache), try character(of: b, cache: &cache)).map(Self.multiply)
            case let .power(a, k):
                let base = try character(of: a, cache: &cache)
                var p = [CharacterValue](repeating: .exact(.one), count: n)
                for _ in 0..<k { p = zip(p, base).map(Self.multiply) }
                result = p
            case let .dual(a):
                result = try character(of: a, cache: &cache)
            case let .sym2(a), let .alt2(a):
                let chi = try character(of: a, cache: &cache)
                let sign: Rational = { if case .sym2 = e { return 1 } else { return -1 } }()
                result = (0..<n).map { c in
                    let square = Self.multiply(chi[c], chi[c])
                    let power = Self.multiply(chi[squareClass[c]], .exact(sign))
                    return Self.multiply(Self.add(square, power), .exact(Rational(1, 2)))
                }
            }
            cache[e] = result
            return result
        }

        static func add(_ a: CharacterValue, _ b: CharacterValue) -> CharacterValue {
            if case let .exact(x) = a, case let .exact(y) = b { return .exact(x + y) }
            return .real(a.doubleValue + b.doubleValue)
        }

        static func multiply(_ a: CharacterValue, _ b: CharacterValue) -> CharacterValue {
            if case let .exact(x) = a, case let .exact(y) = b { return .exact(x * y) }
            return .real(a.doubleValue * b.doubleValue)
        }
    }
}
