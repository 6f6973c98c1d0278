/// A user-given point group in a crystallographic family (issue 21):
///
///     wallpaper:H(r=[[0,-1],[1,-1]]; r^3; order=3):6x6          p3 on a hexagonal grid (axial coordinates)
///     wallpaper:H(m=[[1,0],[0,-1]],n=[[-1,0],[0,1]]):8x6        pmm (two mirrors), order 4
///     space:H(i=[[-1,0,0],[0,-1,0],[0,0,-1]]):4x4x4              inversion only
///
/// Inside `H(…)`: the generators `name=[[…],…]` (integer matrices acting on coordinate vectors,
/// columns, 2×2 for `wallpaper:`, 3×3 for `space:`), separated by commas; then, separated by `;`,
/// optional relators (words in the generators, the syntax of spec relators) and `order=N`. Checked,
/// each with its own message: every entry an integer, determinant ±1 (a lattice automorphism), the
/// matrices generate a finite group of at most `largestCustomPointOrder` elements (the largest
/// finite subgroups of GL(2, ℤ) and GL(3, ℤ) have 12 and 48), every relator evaluates to the
/// identity matrix, `order` equals the order found, and (with the grid, `checkPreserves`) every
/// generator maps the grid's lattice n₁ℤ × … × n_dℤ onto itself, so the action is defined on the
/// torus. The name of the group in files and reports is the `H(…)` text.
extension GroupSpec {
    /// The largest point-group order a user may give: |O_h| = 48 bounds the finite subgroups of
    /// GL(3, ℤ) (12 for GL(2, ℤ)); more elements mean an infinite group such as a shear.
    public static let largestCustomPointOrder = 48

    /// The point group of `H(…)` (`name`), acting on a `dimension`-D lattice; `text` is the whole
    /// family argument, for messages.
    static func customPointGroup(_ name: String, dimension: Int, text: String) throws(GroupError) -> PointGroup {
        func fail(_ reason: String) -> GroupError { .badFamilyParameter(text, reason: reason) }
        let example = dimension == 2 ? "wallpaper:H(r=[[0,-1],[1,0]]; r^4):8x8" : "space:H(i=[[-1,0,0],[0,-1,0],[0,0,-1]]):4x4x4"
        guard name.hasPrefix("H("), name.hasSuffix(")"), name.count >= 3 else {
            throw fail("a point group is a built-in name or H(generators; relators; order=N), such as \(example)")
        }
        let body = Array(name.dropFirst(2).dropLast())
        var segments: [String] = [""]
        var depth = 0
        for ch in body {
            if ch == "[" { depth += 1 } else if ch == "]" { depth -= 1 }
            if ch == ";" && depth == 0 { segments.append("") } else { segments[segments.count - 1].append(ch) }
        }
        // Generators: name=[[…]], at bracket depth 0 separated by commas.
        var generators: [(name: String, matrix: [[Int]])] = []
        var rest = Substring(segments[0].filter { !$0.isWhitespace })
        while !rest.isEmpty {
            guard let eq = rest.firstIndex(of: "=") else { throw fail("\"\(rest)\" is not a generator name=[[…]]; write each generator as name=[[a,b],[c,d]], such as \(example)") }
            let generator = String(rest[..<eq])
            guard let first = generator.first, first.isLetter, generator.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw fail("\"\(generator)\" is not a generator name (a letter, then letters, digits or _)")
            }
            guard !generators.contains(where: { $0.name == generator }) else { throw fail("generator \(generator) is given twice") }
            var end = rest.index(after: eq), level = 0
            while end < rest.endIndex {
                if rest[end] == "[" { level += 1 } else if rest[end] == "]" { level -= 1; if level == 0 { end = rest.index(after: end); break } }
                end = rest.index(after: end)
            }
            let matrixText = rest[rest.index(after: eq)..<end]
            generators.append((generator, try integerMatrix(String(matrixText), generator: generator, dimension: dimension, fail: fail)))
            rest = rest[end...]
            if rest.first == "," { rest = rest.dropFirst() } else if !rest.isEmpty { throw fail("expected a comma after generator \(generator), found \"\(rest)\"") }
        }
        guard !generators.isEmpty else { throw fail("H(…) names no generator; give at least one, such as \(example)") }
        for g in generators {
            let det = determinant(g.matrix)
            guard det == 1 || det == -1 else {
                throw fail("generator \(g.name) = \(g.matrix) has determinant \(det); a point group acts by automorphisms of the lattice ℤ^\(dimension), integer matrices of determinant ±1")
            }
        }
        // The elements, by closure (finite and bounded, or refused).
        let identity = (0..<dimension).map { i in (0..<dimension).map { $0 == i ? 1 : 0 } }
        var elements = [identity]
        var frontier = 0
        while frontier < elements.count {
            for g in generators {
                let next = multiply(g.matrix, elements[frontier])
                if !elements.contains(next) { elements.append(next) }
                if elements.count > largestCustomPointOrder {
                    throw fail("the generators generate more than \(largestCustomPointOrder) matrices, so they do not form a finite point group (finite subgroups of GL(\(dimension), ℤ) have at most \(dimension == 2 ? 12 : 48) elements; a shear such as [[1,1],[0,1]] has infinite order)")
                }
            }
            frontier += 1
        }
        let names = generators.map(\.name)
        var documentedOrder: Int?
        for segment in segments.dropFirst() {
            let s = String(Substring(segment).trimmingSpaces)
            if s.isEmpty { continue }
            if s.hasPrefix("order") {
                let value = s.dropFirst(5).filter { !$0.isWhitespace }
                guard value.first == "=", let n = Int(value.dropFirst()) else { throw fail("\"\(s)\" is not order=N with N a positive integer") }
                documentedOrder = n
                continue
            }
            let word: Word
            do { word = try Presentation.parseWord(s, generators: names) } catch { throw fail("relator \"\(s)\": \(error)") }
            var value = identity
            for letter in word.letters {
                let m = generators[Word.generatorIndex(letter)].matrix
                value = multiply(value, letter > 0 ? m : inverse(m))
            }
            guard value == identity else {
                throw fail("relator \(s) does not hold: the generators' matrices give \(value), not the identity; correct the matrices or the relator")
            }
        }
        if let documentedOrder, documentedOrder != elements.count {
            throw fail("order=\(documentedOrder) was given, but the generators' matrices generate \(elements.count) elements; correct the order or the matrices")
        }
        return PointGroup(dimension: dimension, generators: generators, needsEqualSides: false, order: elements.count, lattice: "integer lattice (user-given point group)")
    }

    /// `[[a,b],[c,d]]` → rows of integers, `dimension` × `dimension`.
    static func integerMatrix(_ text: String, generator: String, dimension: Int, fail: (String) -> GroupError) throws(GroupError) -> [[Int]] {
        guard text.hasPrefix("[["), text.hasSuffix("]]") else {
            throw fail("generator \(generator) = \(text) is not a matrix [[a,b],[c,d]] of integers (rows in brackets)")
        }
        // "[[a,b],[c,d]]": rows are the bracketed groups inside the outer brackets.
        var rows: [String] = [], current = "", inRow = false
        for ch in text.dropFirst().dropLast() {
            switch ch {
            case "[" where !inRow: inRow = true; current = ""
            case "]" where inRow: rows.append(current); inRow = false
            case "," where !inRow: continue
            default:
                guard inRow, ch != "[" else { throw fail("generator \(generator) = \(text) is not a matrix [[a,b],[c,d]] of integers (rows in brackets)") }
                current.append(ch)
            }
        }
        var matrix: [[Int]] = []
        for row in rows {
            var entries: [Int] = []
            for entry in row.split(separator: ",", omittingEmptySubsequences: false) {
                guard let v = Int(entry), abs(v) <= 1_000 else {
                    throw fail("entry \"\(entry)\" of generator \(generator) is not an integer (of at most 1000 in size): a point group acts on lattice coordinates by integer matrices")
                }
                entries.append(v)
            }
            matrix.append(entries)
        }
        guard matrix.count == dimension, matrix.allSatisfy({ $0.count == dimension }) else {
            throw fail("generator \(generator) is \(matrix.count)×\(matrix.first?.count ?? 0), but this family acts on a \(dimension)-D grid: give \(dimension)×\(dimension) matrices (wallpaper: 2×2, space: 3×3)")
        }
        return matrix
    }

    /// The product of two square integer matrices.
    static func multiply(_ a: [[Int]], _ b: [[Int]]) -> [[Int]] {
        a.map { row in (0..<b[0].count).map { j in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[j] } } }
    }

    /// The determinant of a 1×1, 2×2 or 3×3 integer matrix.
    static func determinant(_ m: [[Int]]) -> Int {
        switch m.count {
        case 1: return m[0][0]
        case 2: return m[0][0] * m[1][1] - m[0][1] * m[1][0]
        default:
            return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        }
    }

    /// The inverse of an integer matrix of determinant ±1 (its adjugate times the determinant).
    static func inverse(_ m: [[Int]]) -> [[Int]] {
        let n = m.count, det = determinant(m)
        func minor(_ r: Int, _ c: Int) -> [[Int]] {
            m.enumerated().filter { $0.offset != r }.map { $0.element.enumerated().filter { $0.offset != c }.map(\.element) }
        }
        if n == 1 { return [[det]] }
        return (0..<n).map { i in (0..<n).map { j in (((i + j) % 2 == 0) ? 1 : -1) * determinant(minor(j, i)) * det } }
    }

    /// Checks that every generator maps the grid's lattice n₁ℤ × … × n_dℤ onto itself (column j
    /// times n_j is 0 modulo every side n_i), so the point group acts on the torus.
    static func checkPreserves(_ point: PointGroup, sides: [Int], text: String) throws(GroupError) {
        for g in point.generators {
            for j in sides.indices {
                for i in sides.indices where (g.matrix[i][j] * sides[j]) % sides[i] != 0 {
                    let image = sides.indices.map { g.matrix[$0][j] * sides[j] }
                    throw .badFamilyParameter(text, reason: "generator \(g.name) = \(g.matrix) maps the lattice translation \(sides[j])·e\(j + 1) of the \(sides.map(String.init).joined(separator: "x")) grid to \(image), which is not a translation of the grid (coordinate \(i + 1) is not a multiple of \(sides[i])), so it does not act on this torus; use a grid it preserves (for example equal sides)")
                }
            }
        }
    }
}
