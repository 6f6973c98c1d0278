/// A linear representation of a finitely generated group, given by the images of
/// the generators: ρ(x_1 x_2 ⋯ x_k) = ρ(x_1) ρ(x_2) ⋯ ρ(x_k) (column vectors).
///
/// Images keep the most compact exact form that holds them: permutations,
/// signed permutations (monomial 0/±1 matrices), exact rational matrices, or
/// Float64 matrices. The solver picks its strategy from this `kind`.
///
/// ```swift
/// let r = Permutation(images: [1, 2, 3, 0]), s = Permutation(images: [0, 3, 2, 1])
/// let vertices = Representation(permutations: [r, s])
/// vertices.trace(of: Word([1, 1]))   // 0: r² moves every vertex
/// ```
public struct Representation: Sendable {
    /// The generator images, one per generator, in the most compact exact form.
    public enum Images: Sendable {
        /// Permutation matrices: e_i ↦ e_{p[i]}.
        case permutation([Permutation])
        /// Signed permutation matrices: e_i ↦ signs[i]·e_{images[i]}.
        case signedPermutation([SignedPermutation])
        /// Exact rational matrices.
        case rational([RationalMatrix])
        /// Float64 matrices.
        case real([Matrix])
    }

    /// How the images are stored, from most to least structured.
    public enum Kind: Int, Comparable, Sendable, CustomStringConvertible {
        /// `Images.permutation`; `signedPermutation`, `rational`, `real` likewise.
        case permutation, signedPermutation, rational, real
        /// Order from most to least structured: `.permutation < .signedPermutation < .rational < .real`.
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
        /// A lowercase name for messages, e.g. `"signed permutation"`.
        public var description: String {
            switch self {
            case .permutation: return "permutation"
            case .signedPermutation: return "signed permutation"
            case .rational: return "exact rational"
            case .real: return "real (Float64)"
            }
        }
        /// Permutation or signed permutation: every image is a monomial 0/±1 matrix.
        public var isMonomial: Bool { self <= .signedPermutation }
        /// Entries known exactly.
        public var isExact: Bool { self <= .rational }
    }

    /// The degree of the representation: images are `dimension × dimension`.
    public let dimension: Int
    /// The generator images.
    public let images: Images

    /// The permutation representation (permutation matrices) with these images; the
    /// dimension defaults to their degree (0 without generators); traps if degrees differ.
    public init(permutations: [Permutation], dimension: Int? = nil) {
        let d = dimension ?? permutations.first?.degree ?? 0
        precondition(permutations.allSatisfy { $0.degree == d }, "permutation degrees differ")
        self.dimension = d
        images = .permutation(permutations)
    }

    /// The monomial representation with these signed-permutation images; the dimension
    /// defaults to their degree (0 without generators); traps if degrees differ.
    public init(signedPermutations: [SignedPermutation], dimension: Int? = nil) {
        let d = dimension ?? signedPermutations.first?.degree ?? 0
        precondition(signedPermutations.allSatisfy { $0.degree == d }, "degrees differ")
        self.dimension = d
        images = .signedPermutation(signedPermutations)
    }

    /// The exact representation with these images; the dimension defaults to the first
    /// image's size; traps unless every image is `dimension × dimension`. Invertibility is
    /// not checked here (`FiniteGroup(spec:)` checks it).
    public init(rationalMatrices: [RationalMatrix], dimension: Int? = nil) {
        let d = dimension ?? rationalMatrices.first?.rows ?? 0
        precondition(rationalMatrices.allSatisfy { $0.rows == d && $0.columns == d }, "matrix sizes differ")
        self.dimension = d
        images = .rational(rationalMatrices)
    }

    /// The Float64 representation with these images; the dimension defaults to the first
    /// image's size; traps unless every image is `dimension × dimension`. Invertibility is
    /// not checked here.
    public init(realMatrices: [Matrix], dimension: Int? = nil) {
        let d = dimension ?? realMatrices.first?.rows ?? 0
        precondition(realMatrices.allSatisfy { $0.rows == d && $0.columns == d }, "matrix sizes differ")
        self.dimension = d
        images = .real(realMatrices)
    }

    /// The trivial representation of dimension `dimension` for `generatorCount` generators.
    public static func trivial(dimension: Int = 1, generatorCount: Int) -> Representation {
        Representation(
            permutations: Array(repeating: .identity(dimension), count: generatorCount), dimension: dimension)
    }

    /// How the images are stored.
    public var kind: Kind {
        switch images {
        case .permutation: return .permutation
        case .signedPermutation: return .signedPermutation
        case .rational: return .rational
        case .real: return .real
        }
    }

    /// The number of generator images.
    public var generatorCount: Int {
        switch images {
        case let .permutation(p): return p.count
        case let .signedPermutation(p): return p.count
        case let .rational(m): return m.count
        case let .real(m): return m.count
        }
    }

    // MARK: Generator images in every form

    /// Monomial images, or `nil` when the representation is not monomial.
    public var monomialImages: [SignedPermutation]? {
        switch images {
        case let .permutation(p): return p.map(SignedPermutation.init)
        case let .signedPermutation(p): return p
        case .rational, .real: return nil
        }
    }

    /// Exact images, or `nil` for a real representation.
    public var rationalImages: [RationalMatrix]? {
        switch images {
        case let .permutation(p): return p.map { SignedPermutation($0).rationalMatrix }
        case let .signedPermutation(p): return p.map(\.rationalMatrix)
        case let .rational(m): return m
        case .real: return nil
        }
    }

    /// Float64 images (always available).
    public var realImages: [Matrix] {
        switch images {
        case let .permutation(p): return p.map { SignedPermutation($0).matrix }
        case let .signedPermutation(p): return p.map(\.matrix)
        case let .rational(m): return m.map(\.doubleMatrix)
        case let .real(m): return m
        }
    }

    // MARK: Evaluating words

    /// ρ(w) as a signed permutation, for a monomial representation (`nil` otherwise).
    /// - Complexity: O((r + k) · n) on n points for a word of r runs of equal letters (each
    ///   run is one `SignedPermutation.power`) and k generators.
    public func monomial(of word: Word) -> SignedPermutation? {
        guard let gens = monomialImages else { return nil }
        let inverses = gens.map(\.inverse)
        var result = SignedPermutation.identity(dimension)
        // Runs of one letter as one power: O(runs · dimension), so the words r^k of a
        // cyclic group's elements cost one power each.
        let letters = word.letters
        var i = 0
        while i < letters.count {
            var j = i
            while j < letters.count, letters[j] == letters[i] { j += 1 }
            let g = Word.generatorIndex(letters[i])
            let image = letters[i] > 0 ? gens[g] : inverses[g]
            result = result * (j - i == 1 ? image : image.power(j - i))
            i = j
        }
        return result
    }

    /// ρ(w) exactly, or `nil` for a real representation (and when a generator
    /// image that the word inverts is singular).
    /// - Complexity: O(|w| · n³) rational operations for a non-monomial representation.
    public func rationalMatrix(of word: Word) -> RationalMatrix? {
        if let m = monomial(of: word) { return m.rationalMatrix }
        guard case let .rational(gens) = images else { return nil }
        return Representation.evaluate(word, gens, identity: .identity(dimension), inverse: { try? $0.inverse() }, *)
    }

    /// ρ(w) in Float64 (`nil` only when an inverted generator image is singular).
    /// - Complexity: O(|w| · n³) for a matrix representation.
    public func realMatrix(of word: Word) -> Matrix? {
        if let m = monomial(of: word) { return m.matrix }
        if let m = rationalMatrix(of: word) { return m.doubleMatrix }
        guard case let .real(gens) = images else { return nil }
        return Representation.evaluate(word, gens, identity: .identity(dimension), inverse: { try? $0.inverse() }, *)
    }

    /// The product of generator images (or their inverses, each computed once) along a word.
    private static func evaluate<M>(
        _ word: Word, _ gens: [M], identity: M, inverse: (M) -> M?, _ multiply: (M, M) -> M
    ) -> M? {
        var result = identity
        var inverses = [M?](repeating: nil, count: gens.count)
        for letter in word.letters {
            let g = Word.generatorIndex(letter)
            if letter > 0 {
                result = multiply(result, gens[g])
            } else {
                if inverses[g] == nil {
                    guard let inv = inverse(gens[g]) else { return nil }
                    inverses[g] = inv
                }
                result = multiply(result, inverses[g]!)
            }
        }
        return result
    }

    /// The character value χ(w) = trace ρ(w): exact for exact representations; NaN when
    /// a real representation inverts a singular image.
    /// - Complexity: that of `monomial(of:)` or of the matrix product along w.
    public func trace(of word: Word) -> ExactOrReal {
        if let m = monomial(of: word) { return .exact(Rational(m.trace)) }
        if let m = rationalMatrix(of: word) { return .exact(m.trace) }
        return .real(realMatrix(of: word)?.trace ?? .nan)
    }
}

