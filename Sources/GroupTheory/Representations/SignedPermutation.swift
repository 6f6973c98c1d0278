/// A signed permutation (monomial matrix with entries 0, ±1): the basis vector
/// e_i goes to `signs[i] · e_{images[i]}`, so the matrix has `M[images[i], i] = signs[i]`.
///
/// Products follow the matrix convention, like `Permutation`:
/// `(a * b)` applies `b` first.
///
/// ```swift
/// let flip = SignedPermutation(images: [0, 1], signs: [-1, 1])   // diag(-1, 1)
/// (flip * flip).isIdentity   // true
/// ```
public struct SignedPermutation: Hashable, Sendable, CustomStringConvertible {
    /// The index `images[i]` that e_i is sent to, 0-based.
    public private(set) var images: [Int32]
    /// +1 or -1 for each source index.
    public private(set) var signs: [Int8]

    /// e_i ↦ signs[i]·e_{images[i]}; traps if the lengths differ or a sign is not ±1.
    /// `images` must be a bijection of `0..<count` (checked only by an assertion in
    /// debug builds).
    public init(images: [Int32], signs: [Int8]) {
        precondition(images.count == signs.count, "images and signs differ in length")
        precondition(signs.allSatisfy { $0 == 1 || $0 == -1 }, "signs must be ±1")
        precondition(Permutation(uncheckedImages: images).degree == images.count)
        self.images = images
        self.signs = signs
    }

    /// The permutation matrix of `permutation` (every sign +1).
    public init(_ permutation: Permutation) {
        images = permutation.images
        signs = [Int8](repeating: 1, count: permutation.degree)
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> SignedPermutation {
        SignedPermutation(Permutation.identity(n))
    }

    /// The dimension n of the matrix.
    public var degree: Int { images.count }

    /// Whether every point is fixed with sign +1.
    public var isIdentity: Bool {
        for i in images.indices where images[i] != Int32(i) || signs[i] != 1 { return false }
        return true
    }

    /// True when every sign is +1.
    public var isUnsigned: Bool { signs.allSatisfy { $0 == 1 } }

    /// The underlying permutation, signs forgotten.
    public var permutation: Permutation { Permutation(uncheckedImages: images) }

    /// Matrix product: `(a * b) e_i = a (b e_i)`; traps if the degrees differ.
    /// - Complexity: O(n).
    public static func * (a: SignedPermutation, b: SignedPermutation) -> SignedPermutation {
        precondition(a.degree == b.degree, "degrees differ: \(a.degree) and \(b.degree)")
        var images = [Int32](repeating: 0, count: a.degree)
        var signs = [Int8](repeating: 1, count: a.degree)
        for i in 0..<a.degree {
            let j = Int(b.images[i])
            images[i] = a.images[j]
            signs[i] = b.signs[i] * a.signs[j]
        }
        var result = SignedPermutation.identity(0)
        result.images = images
        result.signs = signs
        return result
    }

    /// The inverse, which is also the transpose (signed permutation matrices are orthogonal).
    public var inverse: SignedPermutation {
        var images = [Int32](repeating: 0, count: degree)
        var signs = [Int8](repeating: 1, count: degree)
        for i in 0..<degree {
            images[Int(self.images[i])] = Int32(i)
            signs[Int(self.images[i])] = self.signs[i]
        }
        var result = SignedPermutation.identity(0)
        result.images = images
        result.signs = signs
        return result
    }

    /// `self^e` for e ≥ 0, in O(degree) whatever e (one pass over each cycle).
    /// - Complexity: O(n).
    ///
    /// ```swift
    /// SignedPermutation(images: [1, 0], signs: [1, -1]).power(2).signs   // [-1, -1]
    /// ```
    public func power(_ e: Int) -> SignedPermutation {
        precondition(e >= 0, "power needs e ≥ 0")
        let n = degree
        var images = [Int32](repeating: 0, count: n)
        var signs = [Int8](repeating: 1, count: n)
        var seen = [Bool](repeating: false, count: n)
        var cycle: [Int] = []
        var prefix: [Int8] = []
        for start in 0..<n where !seen[start] {
            cycle.removeAll(keepingCapacity: true)
            var x = start
            while !seen[x] {
                seen[x] = true
                cycle.append(x)
                x = Int(self.images[x])
            }
            let length = cycle.count
            // prefix[j]: the product of the signs met in j steps from cycle[0], j ≤ 2·length.
            prefix.removeAll(keepingCapacity: true)
            prefix.append(1)
            for j in 0..<(2 * length) { prefix.append(prefix[j] * self.signs[cycle[j % length]]) }
            let full = prefix[length]
            let (q, r) = e.quotientAndRemainder(dividingBy: length)
            let turns: Int8 = (q % 2 == 1) ? full : 1
            for a in 0..<length {
                images[cycle[a]] = Int32(cycle[(a + r) % length])
                signs[cycle[a]] = turns * prefix[a + r] * prefix[a]
            }
        }
        var result = SignedPermutation.identity(0)
        result.images = images
        result.signs = signs
        return result
    }

    /// Trace: the sum of the signs at fixed points.
    public var trace: Int {
        var t = 0
        for i in images.indices where images[i] == Int32(i) { t += Int(signs[i]) }
        return t
    }

    /// The Float64 matrix, `M[images[i], i] = signs[i]`.
    /// - Complexity: O(n²) to allocate.
    public var matrix: Matrix {
        var m = Matrix(rows: degree, columns: degree)
        for i in 0..<degree { m[Int(images[i]), i] = Double(signs[i]) }
        return m
    }

    /// The exact matrix, `M[images[i], i] = signs[i]`.
    /// - Complexity: O(n²) to allocate.
    public var rationalMatrix: RationalMatrix {
        var m = RationalMatrix(rows: degree, columns: degree)
        for i in 0..<degree { m[Int(images[i]), i] = Rational(Int(signs[i])) }
        return m
    }

    /// `x ↦ M x` without forming M.
    /// - Complexity: O(n).
    public func apply(_ x: [Double]) -> [Double] {
        precondition(x.count == degree)
        var y = [Double](repeating: 0, count: degree)
        for i in 0..<degree { y[Int(images[i])] = Double(signs[i]) * x[i] }
        return y
    }

    /// The signed images, e.g. `[-1,0]` for e_0 ↦ −e_1, e_1 ↦ e_0.
    public var description: String {
        "[" + (0..<degree).map { (signs[$0] < 0 ? "-" : "") + "\(images[$0])" }.joined(separator: ",") + "]"
    }
}
