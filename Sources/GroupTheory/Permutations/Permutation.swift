/// A permutation of the points `0..<degree`, stored as its image array.
///
/// Convention (DESIGN.md): point `i` goes to `images[i]`; the permutation matrix
/// has `P[p[i], i] = 1`, so matrices multiply like composition:
/// `(p * q)[i] == p[q[i]]` — apply `q` first, then `p`.
///
/// ```swift
/// let r = Permutation(images: [1, 2, 3, 0])        // the 4-cycle (0,1,2,3)
/// (r * r).images                                     // [2, 3, 0, 1]
/// ```
public struct Permutation: Hashable, Sendable, CustomStringConvertible {
    /// Image of each point, 0-based.
    public private(set) var images: [Int32]

    /// Wraps an image array; traps if it is not a bijection of `0..<count`.
    /// Use `init(validating:)` for user input.
    /// - Complexity: O(n).
    public init(images: [Int32]) {
        precondition(Permutation.isBijection(images), "not a permutation: \(images)")
        self.images = images
    }

    /// Wraps an image array known to be a bijection (unchecked in release builds).
    public init(uncheckedImages images: [Int32]) {
        assert(Permutation.isBijection(images))
        self.images = images
    }

    /// Validates user input: every image in range and no image repeated.
    /// - Throws: `imageOutOfRange` or `repeatedImage` for the first offending point.
    /// - Complexity: O(n).
    public init(validating images: [Int]) throws(PermutationError) {
        let n = images.count
        var seen = [Bool](repeating: false, count: n)
        for (point, image) in images.enumerated() {
            guard image >= 0 && image < n else {
                throw .imageOutOfRange(point: point, image: image, degree: n)
            }
            guard !seen[image] else { throw .repeatedImage(image: image) }
            seen[image] = true
        }
        self.images = images.map { Int32($0) }
    }

    /// Parses cycle notation such as `"(0,1,2)(3,4)"` (0-based points, `()` is the
    /// identity) as a permutation of `0..<degree`. `(0,1,2)` sends 0→1→2→0. Commas may be
    /// replaced by spaces; a point may appear in at most one cycle.
    /// - Throws: `malformedCycles`, `imageOutOfRange` (a point ≥ `degree`) or `repeatedImage`.
    /// - Complexity: O(degree + length of `text`).
    public init(cycles text: String, degree: Int) throws(PermutationError) {
        var images = Array(0..<degree)
        var seen = [Bool](repeating: false, count: degree)
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func skipSpaces() { while i < scalars.count, scalars[i] == " " { i += 1 } }
        skipSpaces()
        while i < scalars.count {
            guard scalars[i] == "(" else { throw .malformedCycles(text, position: i) }
            i += 1
            var cycle: [Int] = []
            while true {
                skipSpaces()
                guard i < scalars.count else { throw .malformedCycles(text, position: i) }
                if scalars[i] == ")" { i += 1; break }
                var value = 0
                var digits = 0
                while i < scalars.count, (48...57).contains(scalars[i].value) {
                    // Saturate below Int.max: a point with more digits than Int holds is out of
                    // range like any other point ≥ the degree (reported as the saturated value).
                    value = value > (Int(Int32.max) - 9) / 10 ? Int(Int32.max) : value * 10 + Int(scalars[i].value - 48)
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { throw .malformedCycles(text, position: i) }
                guard value < degree else {
                    throw .imageOutOfRange(point: value, image: value, degree: degree)
                }
                guard !seen[value] else { throw .repeatedImage(image: value) }
                seen[value] = true
                cycle.append(value)
                skipSpaces()
                if i < scalars.count, scalars[i] == "," { i += 1 }
            }
            for (k, point) in cycle.enumerated() { images[point] = cycle[(k + 1) % cycle.count] }
            skipSpaces()
        }
        self.images = images.map { Int32($0) }
    }

    /// The identity permutation of `0..<degree`.
    /// - Complexity: O(degree).
    public static func identity(_ degree: Int) -> Permutation {
        Permutation(uncheckedImages: (0..<Int32(degree)).map { $0 })
    }

    /// The number of points moved or fixed, `images.count`.
    public var degree: Int { images.count }

    /// Image of point `i`.
    public subscript(_ point: Int) -> Int { Int(images[point]) }

    /// Whether every point is fixed.
    /// - Complexity: O(degree).
    public var isIdentity: Bool {
        for i in images.indices where images[i] != Int32(i) { return false }
        return true
    }

    /// Composition in matrix order: `(p * q)[i] == p[q[i]]`; traps if the degrees differ.
    /// - Complexity: O(n) on n points.
    public static func * (p: Permutation, q: Permutation) -> Permutation {
        precondition(p.degree == q.degree, "degrees differ: \(p.degree) and \(q.degree)")
        var result = [Int32](repeating: 0, count: p.degree)
        p.images.withUnsafeBufferPointer { pb in
            q.images.withUnsafeBufferPointer { qb in
                for i in 0..<qb.count { result[i] = pb[Int(qb[i])] }
            }
        }
        return Permutation(uncheckedImages: result)
    }

    /// The inverse permutation, `p.inverse[p[i]] == i`.
    /// - Complexity: O(degree).
    public var inverse: Permutation {
        var result = [Int32](repeating: 0, count: degree)
        for i in images.indices { result[Int(images[i])] = Int32(i) }
        return Permutation(uncheckedImages: result)
    }

    /// `self^k` for any integer `k` (negative powers invert), by repeated squaring.
    /// - Complexity: O(n log |k|) on n points.
    public func power(_ k: Int) -> Permutation {
        var base = k < 0 ? inverse : self
        var e = k.magnitude
        var result = Permutation.identity(degree)
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            base = base * base
            e >>= 1
        }
        return result
    }

    /// Nontrivial cycles, each starting at its smallest point, in increasing order.
    /// - Complexity: O(n) on n points.
    public var cycles: [[Int]] {
        var seen = [Bool](repeating: false, count: degree)
        var result: [[Int]] = []
        for start in 0..<degree where !seen[start] {
            var cycle: [Int] = []
            var point = start
            while !seen[point] {
                seen[point] = true
                cycle.append(point)
                point = self[point]
            }
            if cycle.count > 1 { result.append(cycle) }
        }
        return result
    }

    /// The order as an exact integer (lcm of the cycle lengths).
    public var order: BigUInt {
        var lengths = Set(cycles.map(\.count))
        if lengths.isEmpty { return 1 }
        // lcm via prime factorization of the lengths, to stay exact at any degree.
        var exponents: [Int: Int] = [:]
        for length in lengths.sorted() {
            var n = length
            var p = 2
            while p * p <= n {
                var e = 0
                while n % p == 0 { n /= p; e += 1 }
                if e > 0 { exponents[p] = max(exponents[p, default: 0], e) }
                p += 1
            }
            if n > 1 { exponents[n] = max(exponents[n, default: 0], 1) }
        }
        lengths.removeAll()
        var result: BigUInt = 1
        for (p, e) in exponents.sorted(by: { $0.key < $1.key }) {
            result.multiply(bySmall: UInt64(BigUInt.power(p, e).intValue!))
        }
        return result
    }

    /// Parity: +1 for even permutations, -1 for odd.
    public var sign: Int {
        cycles.reduce(1) { $1.count % 2 == 0 ? -$0 : $0 }
    }

    /// Cycle notation, `()` for the identity.
    public var description: String {
        let cs = cycles
        if cs.isEmpty { return "()" }
        return cs.map { "(" + $0.map(String.init).joined(separator: ",") + ")" }.joined()
    }

    static func isBijection(_ images: [Int32]) -> Bool {
        var seen = [Bool](repeating: false, count: images.count)
        for image in images {
            guard image >= 0, Int(image) < images.count, !seen[Int(image)] else { return false }
            seen[Int(image)] = true
        }
        return true
    }
}

/// Invalid permutation input.
public enum PermutationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// `point` is sent to `image`, outside `0..<degree` (in cycle notation, a point
    /// `≥ degree`, reported with `point == image`).
    case imageOutOfRange(point: Int, image: Int, degree: Int)
    /// `image` occurs twice: as two points' image, or twice in cycle notation.
    case repeatedImage(image: Int)
    /// Cycle notation that cannot be read; `position` is the 0-based Unicode-scalar offset.
    case malformedCycles(String, position: Int)

    /// Each case's message, naming the offending input and what was expected.
    public var description: String {
        switch self {
        case let .imageOutOfRange(point, image, degree):
            return "point \(point) is sent to \(image), outside 0..<\(degree): not a permutation of \(degree) points"
        case let .repeatedImage(image):
            return "\(image) appears twice as an image: not a bijection"
        case let .malformedCycles(text, position):
            return "cannot read cycle notation \"\(text)\" at character \(position): expected e.g. \"(0,1,2)(3,4)\""
        }
    }
}
