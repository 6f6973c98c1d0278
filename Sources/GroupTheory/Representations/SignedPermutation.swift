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
    public private(set) var images: [Int32]
    /// +1 or -1 for each source index.
    public private(set) var signs: [Int8]

    public init(images: [Int32], signs: [Int8]) {
        precondition(images.count == signs.count, "images and signs differ in length")
        precondition(signs.allSatisfy { $0 == 1 || $0 == -1 }, "signs must be ±1")
        precondition(Permutation(uncheckedImages: images).degree == images.count)
        self.images = images
        self.signs = signs
    }

    public init(_ permutation: Permutation) {
        images = permutation.images
        signs = [Int8](repeating: 1, count: permutation.degree)
    }

    public static func identity(_ n: Int) -> SignedPermutation {
        SignedPermutation(Permutation.identity(n))
    }

    public var degree: Int { images.count }

    public var isIdentity: Bool {
        for i in images.indices where images[i] != Int32(i) || signs[i] != 1 { return false }
        return true
    }

    /// True when every sign is +1.
    public var isUnsigned: Bool { signs.allSatisfy { $0 == 1 } }

    public var permutation: Permutation { Permutation(uncheckedImages: images) }

    /// Matrix product: `(a * b) e_i = a (b e_i)`.
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

    /// Trace: the sum of the signs at fixed points.
    /// `self^e` for e ≥ 0, in O(degree) whatever e (one pass over each cycle).
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

    public var trace: Int {
        var t = 0
        for i in images.indices where images[i] == Int32(i) { t += Int(signs[i]) }
        return t
    }

    public var matrix: Matrix {
        var m = Matrix(rows: degree, columns: degree)
        for i in 0..<degree { m[Int(images[i]), i] = Double(signs[i]) }
        return m
    }

    public var rationalMatrix: RationalMatrix {
        var m = RationalMatrix(rows: degree, columns: degree)
        for i in 0..<degree { m[Int(images[i]), i] = Rational(Int(signs[i])) }
        return m
    }

    /// `x ↦ M x` without forming M.
    public func apply(_ x: [Double]) -> [Double] {
        precondition(x.count == degree)
        var y = [Double](repeating: 0, count: degree)
        for i in 0..<degree { y[Int(images[i])] = Double(signs[i]) * x[i] }
        return y
    }

    public var description: String {
        "[" + (0..<degree).map { (signs[$0] < 0 ? "-" : "") + "\(images[$0])" }.joined(separator: ",") + "]"
    }
}
