/// Crystallographic built-in families: the lattice translations of a periodic grid ⋊ a point
/// group P acting on the lattice by integer matrices (issue 21).
///
/// | family | lattice | point group P (generators) | order |
/// |---|---|---|---|
/// | `wallpaper:p1:HxW` | square, H×W | trivial | HW |
/// | `wallpaper:p2:HxW` | square, H×W | C₂: −I | 2HW |
/// | `wallpaper:pmm:HxW` | square, H×W | D₂: two mirrors | 4HW |
/// | `wallpaper:p4:NxN` | square, N×N | C₄: r = [[0,−1],[1,0]] | 4N² |
/// | `wallpaper:p4m:NxN` | square, N×N | D₄: r and m = [[1,0],[0,−1]] | 8N² |
/// | `wallpaper:p6:NxN` | hexagonal (axial), N×N | C₆: r = [[0,−1],[1,1]] | 6N² |
/// | `wallpaper:p6m:NxN` | hexagonal (axial), N×N | D₆: r and m = [[0,1],[1,0]] | 12N² |
/// | `space:O:NxNxN` | cubic, N×N×N | O: a 4-fold and a 3-fold rotation | 24N³ |
/// | `space:Oh:NxNxN` | cubic, N×N×N | O_h: O and the inversion −I | 48N³ |
///
/// Conventions: a grid point is its coordinate vector v = (row, column) (or (depth, row,
/// column)) taken modulo the grid; point index = v₀·W + v₁ (row-major). The point group acts
/// about the origin (point 0): g = (t, p) sends v to p·v + t. Generators are the unit
/// translations `ty`, `tx` (and `tz` first in 3-D) followed by the point generators. A hexagonal
/// grid is stored in axial coordinates: v = a₁e₁ + a₂e₂ with e₁, e₂ at 60°, so the 60° rotation is
/// the integer matrix [[0,−1],[1,1]].
///
/// Representations (all homomorphisms by construction; translations act trivially on the
/// point-group ones):
/// - `natural`: the permutation of the grid points (one scalar field, = `field(trivial)`);
/// - `point`: P's integer matrices on the lattice (2 or 3 dimensions);
/// - `pointRegular`: the regular representation of P (|P| dimensions, a permutation);
/// - `pointSign` (for P with reflections): the determinant of p.
/// `field(ρ)` in a representation expression is one copy of ρ at every grid point, the
/// induced representation, which for these groups is `natural * ρ` (see
/// `RepresentationExpression`).
///
/// A grid side must be at least 3: on a side of 2, −v = v and the point group would not act
/// faithfully.
extension GroupSpec {
    /// The point groups this file knows: name → (dimension of the lattice, generator names and
    /// matrices, whether the lattice must be square/cubic, order of P).
    struct PointGroup {
        let dimension: Int
        let generators: [(name: String, matrix: [[Int]])]
        let needsEqualSides: Bool
        let order: Int
        let lattice: String
    }

    static let pointGroups: [String: [String: PointGroup]] = [
        "wallpaper": [
            "p1": PointGroup(dimension: 2, generators: [], needsEqualSides: false, order: 1, lattice: "square"),
            "p2": PointGroup(dimension: 2, generators: [("r", [[-1, 0], [0, -1]])], needsEqualSides: false, order: 2, lattice: "square"),
            "pmm": PointGroup(
                dimension: 2, generators: [("m", [[1, 0], [0, -1]]), ("n", [[-1, 0], [0, 1]])], needsEqualSides: false, order: 4,
                lattice: "square"),
            "p4": PointGroup(dimension: 2, generators: [("r", [[0, -1], [1, 0]])], needsEqualSides: true, order: 4, lattice: "square"),
            "p4m": PointGroup(
                dimension: 2, generators: [("r", [[0, -1], [1, 0]]), ("m", [[1, 0], [0, -1]])], needsEqualSides: true, order: 8,
                lattice: "square"),
            "p6": PointGroup(dimension: 2, generators: [("r", [[0, -1], [1, 1]])], needsEqualSides: true, order: 6, lattice: "hexagonal (axial coordinates)"),
            "p6m": PointGroup(
                dimension: 2, generators: [("r", [[0, -1], [1, 1]]), ("m", [[0, 1], [1, 0]])], needsEqualSides: true, order: 12,
                lattice: "hexagonal (axial coordinates)"),
        ],
        "space": [
            "O": PointGroup(
                dimension: 3, generators: [("r", [[1, 0, 0], [0, 0, -1], [0, 1, 0]]), ("c", [[0, 1, 0], [0, 0, 1], [1, 0, 0]])],
                needsEqualSides: true, order: 24, lattice: "cubic"),
            "Oh": PointGroup(
                dimension: 3,
                generators: [
                    ("r", [[1, 0, 0], [0, 0, -1], [0, 1, 0]]), ("c", [[0, 1, 0], [0, 0, 1], [1, 0, 0]]),
                    ("i", [[-1, 0, 0], [0, -1, 0], [0, 0, -1]]),
                ],
                needsEqualSides: true, order: 48, lattice: "cubic"),
        ],
    ]

    /// The largest number of grid points a crystallographic family accepts: Schreier–Sims on the
    /// grid points keeps explicit transversals, 4·points² bytes for the first (transitive) orbit:
    /// 1.1 GB at 128×128 (16,384 points), 4.3 GB at 32³ (32,768 points), the largest grids
    /// accepted.
    public static let largestCrystallographicPoints = 32_768

    /// The point group named `name` in family `kind` (`wallpaper`, `space`): a built-in one or a
    /// user-given `H(…)` (`customPointGroup`); `text` is the whole argument, for messages.
    static func pointGroup(kind: String, name: String, text: String) throws(GroupError) -> PointGroup {
        let families = pointGroups[kind] ?? [:]
        if let builtin = families[name] { return builtin }
        if name.hasPrefix("H(") { return try customPointGroup(name, dimension: kind == "wallpaper" ? 2 : 3, text: text) }
        throw .badFamilyParameter(
            text, reason: "unknown \(kind) group \"\(name)\"; known: \(families.keys.sorted().joined(separator: ", ")), or your own point group H(generators; relators; order=N) such as \(kind == "wallpaper" ? "wallpaper:H(r=[[0,-1],[1,0]]; r^4):8x8" : "space:H(i=[[-1,0,0],[0,-1,0],[0,0,-1]]):4x4x4")")
    }

    /// `wallpaper:GROUP:HxW` or `space:GROUP:DxHxW`, `nil` for any other text.
    static func crystallographic(_ text: String) throws(GroupError) -> GroupSpec? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, pointGroups[parts[0]] != nil else { return nil }
        let kind = parts[0]
        let point = try pointGroup(kind: kind, name: parts[1], text: text)
        let example = point.dimension == 2 ? "\(kind):\(parts[1]):16x16" : "\(kind):\(parts[1]):8x8x8"
        let sideTexts = parts[2].split(separator: "x", omittingEmptySubsequences: false).map(String.init)
        var sides: [Int] = []
        for s in sideTexts {
            guard !s.isEmpty, s.allSatisfy({ ("0"..."9").contains($0) }), s.first != "0", let n = Int(s), n <= 1 << 20 else {
                throw .badFamilyParameter(text, reason: "the grid must be \(point.dimension == 2 ? "HxW" : "DxHxW") with positive integer sides written with digits only, such as \(example)")
            }
            sides.append(n)
        }
        if sides.count == 1 { sides = Array(repeating: sides[0], count: point.dimension) }
        guard sides.count == point.dimension else {
            throw .badFamilyParameter(text, reason: "\(parts[1]) acts on a \(point.dimension)-D grid: give \(point.dimension) sides, such as \(example)")
        }
        guard sides.allSatisfy({ $0 >= 3 }) else {
            throw .badFamilyParameter(text, reason: "every grid side must be at least 3 (on a side of 2, −v = v and the point group would not act faithfully)")
        }
        if point.needsEqualSides, Set(sides).count != 1 {
            throw .badFamilyParameter(text, reason: "\(parts[1]) rotates the grid, so all sides must be equal (\(sides.map(String.init).joined(separator: "x")) is not); use \(sides.map { _ in String(sides.max()!) }.joined(separator: "x")) or a group without rotations by 90° or 60° (p1, p2, pmm)")
        }
        try checkPreserves(point, sides: sides, text: text)
        let points = sides.reduce(1) { $0 > Int.max / $1 ? Int.max : $0 * $1 }
        guard points <= largestCrystallographicPoints else {
            throw .badFamilyParameter(text, reason: "\(points) grid points is above the supported \(largestCrystallographicPoints) (Schreier–Sims on the grid points keeps explicit transversals); use a smaller grid")
        }

        let here = SpecLocation(file: text, line: 0, keyPath: "")
        func located<T>(_ value: T, _ key: String) -> Located<T> { Located(value, at: SpecLocation(file: text, line: 0, keyPath: key)) }

        // Row-major index of a coordinate vector taken modulo the sides.
        func index(_ v: [Int]) -> Int {
            var i = 0
            for (k, n) in sides.enumerated() { i = i * n + ((v[k] % n) + n) % n }
            return i
        }
        func coordinates(_ i: Int) -> [Int] {
            var v = [Int](repeating: 0, count: sides.count), rest = i
            for k in stride(from: sides.count - 1, through: 0, by: -1) {
                v[k] = rest % sides[k]
                rest /= sides[k]
            }
            return v
        }
        func apply(_ m: [[Int]], _ v: [Int]) -> [Int] { m.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } } }

        let axisNames = point.dimension == 2 ? ["ty", "tx"] : ["tz", "ty", "tx"]
        var generatorNames = axisNames
        var natural: [(String, [Int])] = []
        for (axis, name) in axisNames.enumerated() {
            var unit = [Int](repeating: 0, count: sides.count)
            unit[axis] = 1
            natural.append((name, (0..<points).map { i in index(zip(coordinates(i), unit).map { $0 + $1 }) }))
        }
        for (name, m) in point.generators {
            generatorNames.append(name)
            natural.append((name, (0..<points).map { index(apply(m, coordinates($0))) }))
        }

        // P's elements by closure of its integer matrices (|P| ≤ 48), in a canonical order: the
        // identity first, then breadth-first by generator.
        let identity = (0..<point.dimension).map { i in (0..<point.dimension).map { $0 == i ? 1 : 0 } }
        var elements = [identity]
        var frontier = 0
        while frontier < elements.count {
            for (_, m) in point.generators {
                let next = multiply(m, elements[frontier])
                if !elements.contains(next) { elements.append(next) }
            }
            frontier += 1
        }
        precondition(elements.count == point.order, "point group \(parts[1]) has \(elements.count) elements, expected \(point.order)")
        let translationsIdentity = axisNames.map { ($0, identity.map { $0.map { ExactOrReal.exact(Rational($0)) } }) }
        let pointMatrices = point.generators.map { ($0.name, $0.matrix.map { $0.map { ExactOrReal.exact(Rational($0)) } }) }
        let regularImages = axisNames.map { ($0, Array(0..<point.order)) }
            + point.generators.map { g in (g.name, elements.map { h in elements.firstIndex(of: multiply(g.matrix, h))! }) }
        var representations = [
            RepresentationSpec(
                name: "natural",
                images: .permutation(natural.map { located($0.1, "representations.natural.permutation.\($0.0)") }), location: here),
            RepresentationSpec(
                name: "point",
                images: .matrix((translationsIdentity + pointMatrices).map { located($0.1, "representations.point.matrix.\($0.0)") }),
                location: here),
            RepresentationSpec(
                name: "pointRegular",
                images: .permutation(regularImages.map { located($0.1, "representations.pointRegular.permutation.\($0.0)") }),
                location: here),
        ]
        if point.generators.contains(where: { determinant($0.matrix) < 0 }) {
            let signs = axisNames.map { ($0, [[ExactOrReal.exact(1)]]) }
                + point.generators.map { ($0.name, [[ExactOrReal.exact(Rational(determinant($0.matrix)))]]) }
            representations.append(
                RepresentationSpec(
                    name: "pointSign", images: .matrix(signs.map { located($0.1, "representations.pointSign.matrix.\($0.0)") }), location: here))
        }
        let grid = sides.map(String.init).joined(separator: "x")
        return GroupSpec(
            name: "\(parts[1])_\(grid)",
            description: "\(kind == "wallpaper" ? "Wallpaper" : "Space") group \(parts[1]) on a periodic \(grid) \(point.lattice) grid: lattice translations ⋊ a point group of order \(point.order)",
            documentedOrder: String(points * point.order), generators: generatorNames, relators: nil, defining: "natural",
            representations: representations, origin: text)
    }
}

/// The lattice of a crystallographic built-in group (`wallpaper:…`, `space:…`): the grid, the
/// point group's integer matrices and which generators they are. Read back from the group's
/// origin text, so any group built from such a family knows its lattice.
///
/// ```swift
/// let lattice = CrystallographicLattice(origin: "wallpaper:p4m:16x16")   // sides [16, 16], 2 point generators
/// lattice?.stencil(3).count                                              // 9
/// ```
public struct CrystallographicLattice: Sendable, Equatable {
    /// `wallpaper` or `space`.
    public let kind: String
    /// The point group's name (`p4m`, `Oh`, …).
    public let pointGroup: String
    /// Grid sides, slowest axis first (row-major points).
    public let sides: [Int]
    /// True for the hexagonal lattices (axial coordinates).
    public let isHexagonal: Bool
    /// The point generators' names and integer matrices acting on coordinate vectors.
    public let pointGenerators: [(name: String, matrix: [[Int]])]
    /// The number of translation generators (one per axis); the point generators follow them.
    public var translationCount: Int { sides.count }
    /// |P|.
    public let pointOrder: Int

    /// Same kind, point group and grid sides.
    public static func == (a: CrystallographicLattice, b: CrystallographicLattice) -> Bool {
        a.kind == b.kind && a.pointGroup == b.pointGroup && a.sides == b.sides
    }

    /// The lattice of `origin` when it names a crystallographic family (`nil` otherwise).
    public init?(origin: String) {
        // Validated by the family's own parser (sides, equal sides, limits); the permutations it
        // builds are not kept.
        guard (try? GroupSpec.crystallographic(origin)) != nil else { return nil }
        let parts = origin.split(separator: ":").map(String.init)
        guard let point = try? GroupSpec.pointGroup(kind: parts[0], name: parts[1], text: origin) else { return nil }
        kind = parts[0]
        pointGroup = parts[1]
        pointGenerators = point.generators
        pointOrder = point.order
        isHexagonal = point.lattice.hasPrefix("hexagonal")
        var sides = parts[2].split(separator: "x").compactMap { Int($0) }
        if sides.count == 1 { sides = Array(repeating: sides[0], count: point.dimension) }
        self.sides = sides
    }

    /// The offsets of a stencil of width `k` (odd) that P maps to itself, in a canonical order
    /// (lexicographic): the cube {−r…r}^d for square and cubic lattices, the hexagonal ball
    /// (|a₁| + |a₂| + |a₁ + a₂|)/2 ≤ r in axial coordinates, r = (k − 1)/2; for a user-given P,
    /// the cube and its images under P (the built-in groups map their stencil to itself).
    /// - Complexity: O(k^d · |P|).
    public func stencil(_ k: Int) -> [[Int]] {
        precondition(k >= 1 && k % 2 == 1, "stencil width must be odd")
        let r = (k - 1) / 2
        var all: [[Int]] = [[]]
        for _ in sides { all = all.flatMap { prefix in (-r...r).map { prefix + [$0] } } }
        if isHexagonal { all = all.filter { (abs($0[0]) + abs($0[1]) + abs($0[0] + $0[1])) / 2 <= r } }
        var seen = Set(all), queue = all, added = false
        while let s = queue.popLast() {
            for g in pointGenerators {
                let t = Self.apply(g.matrix, s)
                if seen.insert(t).inserted { queue.append(t); all.append(t); added = true }
            }
        }
        return added ? all.sorted { $0.lexicographicallyPrecedes($1) } : all
    }

    /// p·v for a point generator's matrix.
    public static func apply(_ m: [[Int]], _ v: [Int]) -> [Int] { m.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } } }
}
