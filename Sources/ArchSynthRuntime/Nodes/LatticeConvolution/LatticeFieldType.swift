/// c fields of one point-group representation ρ on a periodic grid (issue 21): the type
/// `c*field(ρ)` of a wallpaper or space group G = T ⋊ P, where T is the lattice translations
/// of the grid and P a finite point group acting on the lattice by integer matrices.
///
/// Layout (the same as `field(ρ)` = `natural * ρ` in the solver): value (c · points + x) · d + a
/// for channel c, grid point x (row-major, slowest axis first) and field component a.
///
/// Action of g = (t, p), the map x ↦ p·x + t on grid points (coordinates modulo the sides):
///
///     (g·f)_c(p·x + t) = ρ(p) f_c(x),
///
/// the induced representation. Generators, in the order of the built-in families: one unit
/// translation per axis (slowest first), then P's generators. The point group's elements are
/// enumerated from its generators' integer matrices (|P| ≤ 48 for the built-ins), so nothing of
/// size |G| is built: an element of G is applied directly from its translation and its point part.
///
/// ```swift
/// let f = LatticeFieldType(sides: [6, 6], channels: 2, pointGenerators: [[[0, -1], [1, 0]]], generatorImages: [[1]])
/// f.dimension                    // 72: 2 channels × 36 points × 1
/// f.act(generator: 2, x)         // rotates both scalar fields by 90° about point 0
/// ```
public struct LatticeFieldType: Sendable, Equatable {
    /// Grid sides, slowest axis first.
    public let sides: [Int]
    /// c, the number of fields.
    public let channels: Int
    /// d = dim ρ.
    public let fieldDimension: Int
    /// P's generators as integer matrices acting on coordinate vectors (column vectors).
    public let pointGenerators: [[[Int]]]
    /// ρ of each point generator, d × d row-major.
    public let generatorImages: [[Double]]

    /// ρ's dimension read from the images (1 when P has no generators).
    public init(sides: [Int], channels: Int, pointGenerators: [[[Int]]], generatorImages: [[Double]]) {
        let d = Int(Double(generatorImages.first?.count ?? 1).squareRoot().rounded())
        self.init(sides: sides, channels: channels, fieldDimension: d, pointGenerators: pointGenerators, generatorImages: generatorImages)
    }

    /// With ρ's dimension given (checked against the images; traps on inconsistent sizes).
    public init(sides: [Int], channels: Int, fieldDimension d: Int, pointGenerators: [[[Int]]], generatorImages: [[Double]]) {
        precondition(!sides.isEmpty && sides.allSatisfy { $0 >= 1 }, "LatticeFieldType: grid sides \(sides)")
        precondition(channels >= 1 && d >= 1, "LatticeFieldType: \(channels) channels of dimension \(d)")
        precondition(pointGenerators.count == generatorImages.count, "LatticeFieldType: one ρ image per point generator")
        precondition(pointGenerators.allSatisfy { $0.count == sides.count && $0.allSatisfy { $0.count == sides.count } }, "LatticeFieldType: point generators must be \(sides.count)×\(sides.count) integer matrices")
        precondition(generatorImages.allSatisfy { $0.count == d * d }, "LatticeFieldType: ρ images must be \(d)×\(d) matrices")
        self.sides = sides
        self.channels = channels
        self.fieldDimension = d
        self.pointGenerators = pointGenerators
        self.generatorImages = generatorImages
    }

    /// Number of grid points.
    public var points: Int { sides.reduce(1, *) }
    /// c · points · d.
    public var dimension: Int { channels * points * fieldDimension }
    /// Number of generators of G: one translation per axis, then P's.
    public var generatorCount: Int { sides.count + pointGenerators.count }

    /// Row-major index of a coordinate vector taken modulo the sides.
    @inlinable public func index(_ v: [Int]) -> Int {
        var i = 0
        for (k, n) in sides.enumerated() { i = i * n + ((v[k] % n) + n) % n }
        return i
    }

    /// Coordinates of point `i` (row-major).
    public func coordinates(_ i: Int) -> [Int] {
        var v = [Int](repeating: 0, count: sides.count), rest = i
        for k in stride(from: sides.count - 1, through: 0, by: -1) {
            v[k] = rest % sides[k]
            rest /= sides[k]
        }
        return v
    }

    /// The elements of P as words in its generators (breadth-first, identity first), found by
    /// closing the integer matrices under left multiplication. Two words with the same matrix
    /// are one element (P acts faithfully on the lattice).
    /// - Complexity: O(|P|² · generators) matrix comparisons; |P| ≤ 48 for the built-ins.
    public static func pointElements(_ generators: [[[Int]]], dimension: Int) -> [(matrix: [[Int]], word: [Int])] {
        let identity = (0..<dimension).map { i in (0..<dimension).map { $0 == i ? 1 : 0 } }
        var elements: [(matrix: [[Int]], word: [Int])] = [(identity, [])]
        var frontier = 0
        while frontier < elements.count {
            for (s, m) in generators.enumerated() {
                let next = multiply(m, elements[frontier].matrix)
                if !elements.contains(where: { $0.matrix == next }) { elements.append((next, elements[frontier].word + [s])) }
            }
            frontier += 1
            precondition(elements.count <= 10_000, "LatticeFieldType: the point group's matrices generate more than 10,000 elements (not a finite crystallographic point group)")
        }
        return elements
    }

    static func multiply(_ a: [[Int]], _ b: [[Int]]) -> [[Int]] {
        a.map { row in (0..<b[0].count).map { j in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[j] } } }
    }

    /// ρ of a word in P's generators (applied first to last: ρ(s_k) ⋯ ρ(s_1)), d × d row-major.
    public func image(ofWord word: [Int]) -> [Double] {
        let d = fieldDimension
        var m = (0..<(d * d)).map { $0 / d == $0 % d ? 1.0 : 0.0 }
        for s in word {
            let g = generatorImages[s]
            var next = [Double](repeating: 0, count: d * d)
            for r in 0..<d { for c in 0..<d { var acc = 0.0; for k in 0..<d { acc += g[r * d + k] * m[k * d + c] }; next[r * d + c] = acc } }
            m = next
        }
        return m
    }

    /// g·f for g = (t, p): (g·f)_c(p·x + t) = ρ(p) f_c(x), with p given by its matrix and ρ(p).
    /// - Complexity: O(channels · points · d²).
    public func act(translation t: [Int], matrix p: [[Int]], rho: [Double], _ f: [Double]) -> [Double] {
        precondition(f.count == dimension, "LatticeFieldType.act: \(f.count) values for a field of dimension \(dimension)")
        let n = points, d = fieldDimension, dim = sides.count
        let flat = p.flatMap { $0 }
        var target = [Int](repeating: 0, count: n)
        var v = [Int](repeating: 0, count: dim)
        for x in 0..<n {
            var rest = x
            for k in stride(from: dim - 1, through: 0, by: -1) {
                v[k] = rest % sides[k]
                rest /= sides[k]
            }
            var q = 0
            for r in 0..<dim {
                var c = t[r]
                for k in 0..<dim { c += flat[r * dim + k] * v[k] }
                let side = sides[r]
                q = q * side + ((c % side) + side) % side
            }
            target[x] = q
        }
        var y = [Double](repeating: 0, count: f.count)
        for c in 0..<channels {
            for x in 0..<n {
                let src = (c * n + x) * d, dst = (c * n + target[x]) * d
                for r in 0..<d {
                    var acc = 0.0
                    for a in 0..<d { acc += rho[r * d + a] * f[src + a] }
                    y[dst + r] = acc
                }
            }
        }
        return y
    }

    /// Generator `g` of G on f: unit translation along axis g for g < sides.count, else point
    /// generator g − sides.count. With `stride` s > 1, the generators of the group a strided
    /// network (`LatticeStridedPooling` with `kernel`; nil: `Kernel.standard` for this point group)
    /// is equivariant to: the translation by s along axis g, and the point generator p about the
    /// kernel's center c, x ↦ p·(x − c) + c (c = ((s−1)/2, …) for `blockMean`, 0 for `symmetrized`).
    public func act(generator g: Int, _ f: [Double], stride: Int = 1, kernel: LatticeStridedPooling.Kernel? = nil) -> [Double] {
        precondition(g >= 0 && g < generatorCount, "LatticeFieldType.act: generator \(g) of \(generatorCount)")
        let dim = sides.count
        let identity = (0..<dim).map { i in (0..<dim).map { $0 == i ? 1 : 0 } }
        if g < dim {
            var t = [Int](repeating: 0, count: dim)
            t[g] = stride
            return act(translation: t, matrix: identity, rho: image(ofWord: []), f)
        }
        let p = pointGenerators[g - dim]
        let shift = (kernel ?? .standard(for: pointGenerators)).centerShift(p, stride: stride)
        return act(translation: shift, matrix: p, rho: generatorImages[g - dim], f)
    }
}

extension LatticeFieldType {
    /// The translations a lattice law checks with each of the h point elements: every translation
    /// of the grid when points · h ≤ `limit` (complete), else the zero and unit translations and
    /// random distinct ones (seeded), up to `limit` / h in all.
    /// - Complexity: O(points) when complete, else O(limit / h) draws.
    public func translations(pointOrder h: Int, limit: Int, seed: UInt64) -> (translations: [[Int]], complete: Bool) {
        let dim = sides.count, n = points
        if n * h <= limit { return ((0..<n).map { coordinates($0) }, true) }
        var chosen: [[Int]] = [[Int](repeating: 0, count: dim)]
        for axis in 0..<dim { var t = [Int](repeating: 0, count: dim); t[axis] = 1; chosen.append(t) }
        var rng = RuntimeRandom(seed: seed)
        let wanted = Swift.max(chosen.count, limit / h)
        var seen = Set(chosen.map { index($0) })
        while chosen.count < Swift.min(wanted, n) {
            let t = coordinates(Int(rng.next() % UInt64(n)))
            if seen.insert(index(t)).inserted { chosen.append(t) }
        }
        return (chosen, false)
    }
}

extension Law {
    /// The law of a lattice layer from `input` to `output` field types (same point generators):
    /// f(g·x) = g·f(x) for g = (t, p) over every translation t of the output's grid and every
    /// element p of the point group, enumerated directly (element e = t · |P| + p; nothing of size
    /// |G| is stored). When |G| = points · |P| is above `limit`, every p is checked with the zero
    /// translation, the unit translations and random translations up to `limit` elements in all,
    /// and the law says it is not complete.
    ///
    /// With `stride` s > 1 the output lives on the grid s times coarser (`LatticeStridedPooling`
    /// with `kernel`; nil: `Kernel.standard` for the point group): g acts on the input as
    /// x ↦ p·(x − c) + c + s·t, with c = ((s−1)/2, …) the center of the block of coarse point 0
    /// for `blockMean` and c = 0 for `symmetrized`, and on the output as X ↦ p·X + t.
    public static func lattice(
        input: LatticeFieldType, output: LatticeFieldType, limit: Int, seed: UInt64 = 0x7A77_1CE5, stride: Int = 1, kernel: LatticeStridedPooling.Kernel? = nil
    ) -> Law {
        precondition(
            stride >= 1 && input.sides.allSatisfy { $0 % stride == 0 } && input.sides.map { $0 / stride } == output.sides && input.pointGenerators == output.pointGenerators,
            "Law.lattice: the output fields must live on the input's grid divided by the stride \(stride), with one point group")
        let dim = input.sides.count
        let elements = LatticeFieldType.pointElements(input.pointGenerators, dimension: dim)
        let rhoIn = elements.map { input.image(ofWord: $0.word) }, rhoOut = elements.map { output.image(ofWord: $0.word) }
        let h = elements.count
        let (translations, complete) = output.translations(pointOrder: h, limit: limit, seed: seed)
        // s·t + c − p·c: c = (s−1)/2 · 𝟙 gives (s−1)(𝟙 − p𝟙)/2 for the block mean, an integer for
        // signed permutations p (it refuses any other point group); c = 0 gives 0 (symmetrized).
        let center = kernel ?? .standard(for: input.pointGenerators)
        let centerShifts = elements.map { center.centerShift($0.matrix, stride: stride) }
        @Sendable func shift(_ e: Int) -> [Int] {
            let c = centerShifts[e % h], t = translations[e / h]
            return (0..<dim).map { r in stride * t[r] + c[r] }
        }
        let grid = input.sides.map(String.init).joined(separator: "×")
        return Law(
            name: stride == 1
                ? "every translation × point-group element of the \(grid) lattice"
                : "every coarse translation × point-group element of the \(output.sides.map(String.init).joined(separator: "×")) lattice (stride \(stride) of \(grid), \(center.centerDescription))",
            elementCount: translations.count * h, isComplete: complete,
            describe: { e in "\(stride == 1 ? "translation" : "coarse translation") \(translations[e / h]) after point element \(elements[e % h].matrix)" },
            actOnInputs: { e, x in [input.act(translation: shift(e), matrix: elements[e % h].matrix, rho: rhoIn[e % h], x[0])] },
            actOnOutput: { e, y in output.act(translation: translations[e / h], matrix: elements[e % h].matrix, rho: rhoOut[e % h], y) })
    }
}

extension GeneratedModelVerifier {
    /// `verify` with a given law (`Law.lattice` for lattice layers), writing each line through
    /// `emit` (the harness passes one that prefixes its per-run nonce).
    public static func run<M: GeneratedEquivariantModel>(
        _ type: M.Type, index: Int, law: Law, options: Options, emit: (String) -> Void = { Swift.print($0) }
    ) {
        for line in verify(type, index: index, law: law, options: options) { emit(line) }
    }
}
