#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Built-in families (DESIGN.md): `cyclic:N`, `dihedral:N`, `symmetric:N`,
/// `alternating:N`, `hyperoctahedral:N`. Each is given by generators and its
/// natural action, without relators: the order comes from Schreier–Sims and is
/// checked against the textbook formula, so a family can be as large as
/// `symmetric:200`.
///
/// | family | generators | representations |
/// |---|---|---|
/// | `cyclic:N` | c = (0,1,…,N−1) | natural |
/// | `dihedral:N` | r: i ↦ i+1, s: i ↦ −i (mod N) | natural (N-gon vertices), plane (2-D rotation/reflection) |
/// | `symmetric:N` | s = (0,1), c = (0,1,…,N−1) | natural, sign |
/// | `alternating:N` | a = (0,1,2), b = (0,…,N−1) for odd N or (1,…,N−1) for even N | natural |
/// | `hyperoctahedral:N` | s swaps e0, e1; c cycles e0→e1→…; f negates e0 | natural (signed permutations of R^N), sign (determinant) |
extension GroupSpec {
    /// The spec of a built-in family, `nil` if `text` is not of the form `family:N`
    /// (nor `wallpaper:GROUP:HxW`, `space:GROUP:DxHxW`). Throws `unknownFamily` or
    /// `badFamilyParameter` for `family:N` text that names no family or a bad N.
    ///
    /// ```swift
    /// let s5 = try FiniteGroup(spec: GroupSpec.builtin("symmetric:5")!)   // order 120
    /// ```
    public static func builtin(_ text: String) throws(GroupError) -> GroupSpec? {
        guard var spec = try builtinFamily(text) else { return nil }
        spec.representationsByConstruction = true
        return spec
    }

    static func builtinFamily(_ text: String) throws(GroupError) -> GroupSpec? {
        if let crystallographic = try crystallographic(text) { return crystallographic }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let family = String(parts[0])
        let known = ["cyclic", "dihedral", "symmetric", "alternating", "hyperoctahedral"]
        guard known.contains(family) else {
            // Family names are lowercase, like catalog names they are matched exactly.
            if known.contains(family.lowercased()) {
                throw .badFamilyParameter(text, reason: "family names are lowercase: write \(family.lowercased()):\(parts[1])")
            }
            throw .unknownFamily(text)
        }
        // N is plain decimal digits: no sign, no spaces, no leading zeros.
        let digits = parts[1]
        guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }), digits.first != "0" || digits == "0",
            let n = Int(digits), n >= 1
        else {
            throw .badFamilyParameter(text, reason: "N must be a positive integer written with digits only, such as \(family):5")
        }
        // Schreier–Sims stores explicit transversals, about 4·degree·Σ|orbits| bytes:
        // 4N² for the cyclic and dihedral groups (400 MB at N = 10,000), 2N³ for the
        // symmetric and alternating groups (250 MB at N = 500), 16N³ for the
        // hyperoctahedral group (on 2N points). The limits keep that near 0.5 GB.
        let largest = GroupSpec.largestFamilyParameter[family]!
        guard n <= largest else {
            throw .badFamilyParameter(text, reason: "N = \(n) is above the supported \(largest) for \(family) (Schreier–Sims on \(n) points would need too much memory); use N ≤ \(largest), or give the group by relators in a spec file")
        }
        let here = SpecLocation(file: text, line: 0, keyPath: "")
        func located<T>(_ value: T, _ key: String) -> Located<T> {
            Located(value, at: SpecLocation(file: text, line: 0, keyPath: key))
        }
        func cycle(_ points: [Int]) -> [Int] {
            var images = Array(0..<n)
            for (k, p) in points.enumerated() { images[p] = points[(k + 1) % points.count] }
            return images
        }
        func permutations(_ name: String, _ images: [(String, [Int])]) -> RepresentationSpec {
            RepresentationSpec(
                name: name,
                images: .permutation(images.map { located($0.1, "representations.\(name).permutation.\($0.0)") }),
                location: here)
        }
        func matrices(_ name: String, _ images: [(String, [[ExactOrReal]])]) -> RepresentationSpec {
            RepresentationSpec(
                name: name, images: .matrix(images.map { located($0.1, "representations.\(name).matrix.\($0.0)") }),
                location: here)
        }
        switch family {
        case "cyclic":
            return GroupSpec(
                name: "C\(n)", description: "Cyclic group of order \(n), rotating \(n) points",
                documentedOrder: "\(n)", generators: ["c"], relators: nil, defining: "natural",
                representations: [permutations("natural", [("c", cycle(Array(0..<n)))])], origin: text)
        case "dihedral":
            guard n >= 3 else {
                throw .badFamilyParameter(text, reason: "the dihedral group of the N-gon needs N ≥ 3 (use cyclic:2 or klein4 for smaller cases)")
            }
            let reflection = (0..<n).map { (n - $0) % n }
            let angle = 2 * Double.pi / Double(n)
            let (c, s) = (GroupSpec.entry(cos(angle)), GroupSpec.entry(sin(angle)))
            let negS = GroupSpec.entry(-sin(angle))
            return GroupSpec(
                name: "D\(n)", description: "Dihedral group of order \(2 * n): symmetries of the regular \(n)-gon",
                documentedOrder: "\(2 * n)", generators: ["r", "s"], relators: nil, defining: "natural",
                representations: [
                    permutations("natural", [("r", cycle(Array(0..<n))), ("s", reflection)]),
                    matrices("plane", [
                        ("r", [[c, negS], [s, c]]),
                        ("s", [[.exact(1), .exact(0)], [.exact(0), .exact(-1)]]),
                    ]),
                ], origin: text)
        case "symmetric":
            let s = n >= 2 ? cycle([0, 1]) : [0]
            let c = cycle(Array(0..<n))
            return GroupSpec(
                name: "S\(n)", description: "Symmetric group on \(n) points",
                documentedOrder: BigUInt.factorial(n).description, generators: ["s", "c"], relators: nil,
                defining: "natural",
                representations: [
                    permutations("natural", [("s", s), ("c", c)]),
                    matrices("sign", [
                        ("s", [[.exact(n >= 2 ? -1 : 1)]]), ("c", [[.exact(n % 2 == 0 ? -1 : 1)]]),
                    ]),
                ], origin: text)
        case "alternating":
            guard n >= 3 else { throw .badFamilyParameter(text, reason: "alternating:N needs N ≥ 3") }
            let b = n % 2 == 1 ? cycle(Array(0..<n)) : cycle(Array(1..<n))
            var order = BigUInt.factorial(n)
            order.divide(bySmall: 2)
            return GroupSpec(
                name: "A\(n)", description: "Alternating group on \(n) points",
                documentedOrder: order.description, generators: ["a", "b"], relators: nil, defining: "natural",
                representations: [permutations("natural", [("a", cycle([0, 1, 2])), ("b", b)])], origin: text)
        default:  // hyperoctahedral
            var order = BigUInt.factorial(n)
            order *= BigUInt.power(2, n)
            let s = n >= 2 ? cycle([0, 1]) : [0]
            let c = cycle(Array(0..<n))
            var flipSigns = [Int](repeating: 1, count: n)
            flipSigns[0] = -1
            let ones = [Int](repeating: 1, count: n)
            let natural = RepresentationSpec(
                name: "natural",
                images: .signedPermutation([
                    located((images: s, signs: ones), "representations.natural.signedPermutation.s"),
                    located((images: c, signs: ones), "representations.natural.signedPermutation.c"),
                    located((images: Array(0..<n), signs: flipSigns), "representations.natural.signedPermutation.f"),
                ]), location: here)
            return GroupSpec(
                name: "B\(n)", description: "Hyperoctahedral group: signed permutations of R^\(n) (symmetries of the \(n)-cube)",
                documentedOrder: order.description, generators: ["s", "c", "f"], relators: nil, defining: "natural",
                representations: [
                    natural,
                    matrices("sign", [
                        ("s", [[.exact(n >= 2 ? -1 : 1)]]), ("c", [[.exact(n % 2 == 0 ? -1 : 1)]]),
                        ("f", [[.exact(-1)]]),
                    ]),
                ], origin: text)
        }
    }

    /// An entry that is exact when `x` is within 1e-12 of a multiple of 1/2.
    /// The largest N each built-in family accepts (memory of Schreier–Sims).
    public static let largestFamilyParameter: [String: Int] = [
        "cyclic": 10_000, "dihedral": 10_000, "symmetric": 500, "alternating": 500, "hyperoctahedral": 250,
    ]

    static func entry(_ x: Double) -> ExactOrReal {
        let twice = (2 * x).rounded()
        if abs(2 * x - twice) < 1e-12 { return .exact(Rational(Int(twice), 2)) }
        return .real(x)
    }
}
