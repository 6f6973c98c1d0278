/// Characters of representation expressions on the conjugacy classes of an enumerated group,
/// computed from those of the named representations without building anything large:
/// χ(a+b) = χa + χb, χ(a⊗b) = χa·χb, χ(a^k) = χa^k, χ(k) = k, χ(dual a) = χa (real
/// representations of a finite group), χ(sym2 a)(g) = (χa(g)² + χa(g²))/2,
/// χ(alt2 a)(g) = (χa(g)² − χa(g²))/2, χ_regular = (|G|, 0, …, 0). Exact while every named
/// representation is exact. With `ConjugacyClasses.innerProduct`, dim Hom_G(V, W) = ⟨χ_V, χ_W⟩.
///
/// ```swift
/// var characters = ExpressionCharacters(classes: try s4.enumeration().conjugacyClasses(), group: s4)
/// let chi = try characters.character(of: RepresentationExpression(parsing: "natural^2"))
/// characters.classes.innerProduct(chi, chi)   // .exact(15): dim End of natural⊗natural
/// ```
/// - Complexity: O(classes · size of the expression); each subexpression once (cached).
public struct ExpressionCharacters: Sendable {
    /// The conjugacy classes characters are evaluated on.
    public let classes: ConjugacyClasses
    /// The group whose named representations the expressions use.
    public let group: FiniteGroup
    /// The class of g² for g in each class (the power map, for sym2/alt2).
    public let squareClass: [Int]
    var cache: [RepresentationExpression: [ExactOrReal]] = [:]

    /// Characters on `classes` of `group` (which must be the group `classes` enumerates); computes
    /// the square map once.
    /// - Complexity: O(classes · ℓ) for representative words of length at most ℓ.
    public init(classes: ConjugacyClasses, group: FiniteGroup) {
        self.classes = classes
        self.group = group
        let e = classes.enumeration
        squareClass = classes.representatives.map { x in classes.classOf[e.product(x, x)] }
    }

    /// χ of `e` on each class, in class order; throws for an unknown name.
    /// - Complexity: O(classes) per subexpression not yet cached, plus, for each named
    ///   representation, one trace per class (`ConjugacyClasses.character(of:)`).
    public mutating func character(of e: RepresentationExpression) throws(GroupError) -> [ExactOrReal] {
        if let c = cache[e] { return c }
        let n = classes.count
        let result: [ExactOrReal]
        switch e {
        case let .named(name):
            if name == "regular", !group.representations.contains(where: { $0.name == "regular" }) {
                result = (0..<n).map { $0 == 0 ? .exact(Rational(classes.enumeration.count)) : .exact(.zero) }
            } else {
                result = classes.character(of: try group.representation(named: name))
            }
        case let .trivial(k):
            result = Array(repeating: .exact(Rational(k)), count: n)
        case let .sum(a, b):
            result = zip(try character(of: a), try character(of: b)).map(+)
        case let .tensor(a, b):
            result = zip(try character(of: a), try character(of: b)).map(*)
        case let .power(a, k):
            let base = try character(of: a)
            var p = [ExactOrReal](repeating: .exact(.one), count: n)
            for _ in 0..<k { p = zip(p, base).map(*) }
            result = p
        case let .dual(a):
            result = try character(of: a)
        case let .sym2(a), let .alt2(a):
            let chi = try character(of: a)
            let sign: Rational = { if case .sym2 = e { return 1 } else { return -1 } }()
            result = (0..<n).map { c in
                let square = chi[c] * chi[c]
                let power = chi[squareClass[c]] * .exact(sign)
                return (square + power) * .exact(Rational(1, 2))
            }
        }
        cache[e] = result
        return result
    }
}
