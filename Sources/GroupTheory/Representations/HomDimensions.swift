/// The dimensions characters predict for the equivariant maps V → W of a finite group (the
/// character cross-check of a computed basis): dim Hom_G(V, W) = ⟨χ_V, χ_W⟩ =
/// (1/|G|) Σ_g χ_V(g⁻¹) χ_W(g) for real representations, and the fixed vectors
/// dim W^G = ⟨1, χ_W⟩ (Serre, *Linear Representations of Finite Groups*, §2.3).
///
/// ```swift
/// var characters = ExpressionCharacters(classes: try s4.enumeration().conjugacyClasses(), group: s4)
/// try characters.homDimensions(from: .named("natural"), to: .named("natural"))   // maps 2, fixedVectors 1
/// ```
public struct HomDimensions: Equatable, Sendable {
    /// Which of the two inner products.
    public enum Part: Sendable, Equatable {
        /// ⟨χ_V, χ_W⟩, the equivariant linear maps.
        case maps
        /// ⟨1, χ_W⟩, the fixed vectors of W.
        case fixedVectors
    }

    /// dim Hom_G(V, W).
    public let maps: Int
    /// dim W^G.
    public let fixedVectors: Int

    /// From the characters of V and W on `classes` (class order). Throws
    /// `GroupError.nonIntegralInnerProduct` when an inner product is not a non-negative integer:
    /// V or W is then not a representation of the group the classes belong to.
    /// - Complexity: O(number of classes).
    public init(classes: ConjugacyClasses, input chiIn: [ExactOrReal], output chiOut: [ExactOrReal]) throws(GroupError) {
        func integral(_ value: ExactOrReal, _ part: Part) throws(GroupError) -> Int {
            guard let n = value.nonnegativeInteger else { throw .nonIntegralInnerProduct(part, value: value) }
            return n
        }
        let ones = [ExactOrReal](repeating: .exact(.one), count: classes.count)
        maps = try integral(classes.innerProduct(chiIn, chiOut), .maps)
        fixedVectors = try integral(classes.innerProduct(ones, chiOut), .fixedVectors)
    }
}

extension ExpressionCharacters {
    /// `HomDimensions` of the representations the expressions name; throws for an unknown name
    /// or a non-integral inner product.
    /// - Complexity: that of `character(of:)` for both expressions, then O(classes).
    public mutating func homDimensions(from input: RepresentationExpression, to output: RepresentationExpression) throws(GroupError) -> HomDimensions {
        try HomDimensions(classes: classes, input: character(of: input), output: character(of: output))
    }
}
