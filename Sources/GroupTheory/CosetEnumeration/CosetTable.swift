/// A complete coset table: the right action of a finitely presented group G on
/// the right cosets Hx of a subgroup H.
///
/// Conventions: cosets are numbered `0..<cosetCount`, coset 0 is H itself. The
/// action is on the right: `image(ofCoset: c, underLetter: l)` is the coset c·x
/// for the letter x = l (letters as in `Word`: generator i is `i + 1`, its inverse
/// `-(i + 1)`). `table` is flat, `table[c * width + column]`, with `width ==
/// 2 * generatorCount`: column `2i` holds c·xᵢ and column `2i + 1` holds c·xᵢ⁻¹
/// (involutory generators therefore have two equal columns; the enumerator stores
/// them once internally).
///
/// Tables returned by `ToddCoxeter.enumerate` are standardized (HEO §5.1.3): scanning
/// rows in order and each row left to right, new cosets appear in increasing order.
/// Equivalently, cosets are numbered by the shortlex order of their least
/// representative words for the letter order x₀ < x₀⁻¹ < x₁ < x₁⁻¹ < ….
///
/// ```swift
/// let s3 = try Presentation(generators: ["a", "b"], relatorTexts: ["a^2", "b^3", "(a*b)^2"])
/// let t = try ToddCoxeter.enumerate(s3)          // t.cosetCount == 6
/// t.image(ofCoset: 0, underLetter: 1)             // 1: coset H·a
/// ```
public struct CosetTable: Hashable, Sendable {
    /// Number of cosets (the index |G : H|).
    public private(set) var cosetCount: Int
    /// Number of generators of the presentation.
    public private(set) var generatorCount: Int
    /// The flat table, `table[c * width + column]`; see the type's documentation.
    public private(set) var table: [Int32]
    /// For coset c > 0: the coset from which the spanning tree reaches c (−1 for coset 0).
    public private(set) var treeParents: [Int32]
    /// For coset c > 0: the letter on the tree edge into c, so c = treeParents[c]·letter.
    public private(set) var treeLetters: [Int32]

    /// Columns per coset: `2 * generatorCount`.
    public var width: Int { 2 * generatorCount }

    /// Wraps a complete, consistent table (column `2i` is xᵢ, `2i + 1` is xᵢ⁻¹).
    /// Traps if an entry is out of range or a column is not the inverse of its partner;
    /// the cosets need not be standardized. The spanning tree is the breadth-first one.
    /// - Complexity: O(cosetCount · generatorCount).
    public init(generatorCount: Int, table: [Int32]) {
        let width = 2 * generatorCount
        precondition(width == 0 ? table.isEmpty : table.count % width == 0, "table size is not a multiple of the width \(width)")
        let n = width == 0 ? 1 : table.count / width
        precondition(n >= 1, "a coset table has at least one coset")
        for c in 0..<n {
            for column in 0..<width {
                let d = Int(table[c * width + column])
                precondition(d >= 0 && d < n, "entry \(d) of coset \(c), column \(column) is out of range")
                precondition(Int(table[d * width + (column ^ 1)]) == c, "columns \(column) and \(column ^ 1) are not inverse at coset \(c)")
            }
        }
        self.init(uncheckedCosetCount: n, generatorCount: generatorCount, table: table)
    }

    /// The caller guarantees a complete, consistent table.
    init(uncheckedCosetCount n: Int, generatorCount: Int, table: [Int32]) {
        self.cosetCount = n
        self.generatorCount = generatorCount
        self.table = table
        // Breadth-first spanning tree, letters in column order.
        let width = 2 * generatorCount
        var parents = [Int32](repeating: -1, count: n)
        var letters = [Int32](repeating: 0, count: n)
        var seen = [Bool](repeating: false, count: n)
        var queue = [Int32](repeating: 0, count: n)
        seen[0] = true
        var head = 0
        var tail = 1
        while head < tail {
            let c = Int(queue[head])
            head += 1
            for column in 0..<width {
                let d = Int(table[c * width + column])
                if !seen[d] {
                    seen[d] = true
                    parents[d] = Int32(c)
                    letters[d] = CosetTable.letter(ofColumn: column)
                    queue[tail] = Int32(d)
                    tail += 1
                }
            }
        }
        precondition(tail == n, "the coset table is not connected: coset \(seen.firstIndex(of: false) ?? 0) is unreachable from coset 0")
        self.treeParents = parents
        self.treeLetters = letters
    }

    @inline(__always) static func letter(ofColumn column: Int) -> Int32 {
        column & 1 == 0 ? Int32(column / 2 + 1) : -Int32(column / 2 + 1)
    }

    @inline(__always) static func column(ofLetter letter: Int32) -> Int {
        letter > 0 ? 2 * Int(letter - 1) : 2 * Int(-letter - 1) + 1
    }

    /// The coset c·x for the letter x (`i + 1` for xᵢ, `-(i + 1)` for xᵢ⁻¹): right action.
    /// - Complexity: O(1).
    @inlinable
    public func image(ofCoset c: Int, underLetter letter: Int32) -> Int {
        precondition(letter != 0 && Int(letter.magnitude) <= generatorCount, "no letter \(letter) among \(generatorCount) generators")
        let column = letter > 0 ? 2 * Int(letter - 1) : 2 * Int(-letter - 1) + 1
        return Int(table[c * 2 * generatorCount + column])
    }

    /// The coset c·w: `c` acted on by the letters of `w` left to right.
    /// - Complexity: O(w.count).
    public func image(ofCoset c: Int, under word: Word) -> Int {
        var coset = c
        for letter in word.letters { coset = image(ofCoset: coset, underLetter: letter) }
        return coset
    }

    /// Whether the cosets are numbered in standard order (see the type's documentation).
    public var isStandardized: Bool {
        var next = 1
        for c in 0..<cosetCount where next < cosetCount {
            for column in 0..<width {
                let d = Int(table[c * width + column])
                if d == next { next += 1 } else if d > next { return false }
            }
        }
        return true
    }

    /// The same table with cosets renumbered in standard order; coset 0 stays 0.
    /// - Complexity: O(cosetCount · generatorCount).
    public func standardized() -> CosetTable {
        let width = self.width
        var newOf = [Int32](repeating: -1, count: cosetCount)
        var oldOf = [Int32](repeating: 0, count: cosetCount)
        newOf[0] = 0
        var next: Int32 = 1
        var k = 0
        while k < Int(next) {
            let c = Int(oldOf[k])
            for column in 0..<width {
                let d = Int(table[c * width + column])
                if newOf[d] < 0 {
                    newOf[d] = next
                    oldOf[Int(next)] = Int32(d)
                    next += 1
                }
            }
            k += 1
        }
        var result = [Int32](repeating: 0, count: table.count)
        for new in 0..<cosetCount {
            let old = Int(oldOf[new])
            for column in 0..<width {
                result[new * width + column] = newOf[Int(table[old * width + column])]
            }
        }
        return CosetTable(uncheckedCosetCount: cosetCount, generatorCount: generatorCount, table: result)
    }

    /// Per generator xᵢ, the permutation c ↦ c·xᵢ of the cosets (right action).
    /// This is an anti-homomorphism in the matrix-product convention: the
    /// permutation of xᵢxⱼ is `perm[j] * perm[i]`. See `regularRepresentation`.
    /// - Complexity: O(k · cosetCount) for k generators.
    public func rightActionPermutations() -> [Permutation] {
        (0..<generatorCount).map { column(2 * $0) }
    }

    /// Per generator g, the permutation c ↦ c·g⁻¹, a homomorphism ρ with
    /// ρ(gh) = ρ(g)ρ(h) in the `Permutation` (matrix-product) convention.
    /// Over the trivial subgroup this is the regular representation of G on its
    /// elements (coset c is the element `representativeWord(ofCoset: c)`);
    /// in general it is the permutation representation on the cosets.
    public var regularRepresentation: [Permutation] {
        (0..<generatorCount).map { column(2 * $0 + 1) }
    }

    func column(_ column: Int) -> Permutation {
        let width = self.width
        var images = [Int32](repeating: 0, count: cosetCount)
        for c in 0..<cosetCount { images[c] = table[c * width + column] }
        return Permutation(uncheckedImages: images)
    }

    /// The representative word of coset c: the letters along the spanning tree
    /// from coset 0, so `image(ofCoset: 0, under: representativeWord(ofCoset: c)) == c`.
    /// For a standardized table this is the shortlex-least word for the letter order
    /// x₀ < x₀⁻¹ < x₁ < x₁⁻¹ < … (the normal form of the element, for H = 1).
    /// - Complexity: O(length of the word).
    public func representativeWord(ofCoset c: Int) -> Word {
        precondition(c >= 0 && c < cosetCount, "coset \(c) out of range 0..<\(cosetCount)")
        var letters: [Int32] = []
        var coset = c
        while coset != 0 {
            letters.append(treeLetters[coset])
            coset = Int(treeParents[coset])
        }
        return Word(letters.reversed())
    }

    /// `representativeWord(ofCoset:)` for every coset, in order.
    public var representativeWords: [Word] {
        (0..<cosetCount).map { representativeWord(ofCoset: $0) }
    }
}
