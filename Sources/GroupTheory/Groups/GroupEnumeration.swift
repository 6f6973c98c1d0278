/// All elements of a finite group, numbered `0..<count` with 0 the identity,
/// as a right Cayley table: `product(x, letter)` is x·g (or x·g⁻¹).
///
/// Every element `x` has a word `words[x]` in the generators that evaluates to it
/// (a spanning tree of the Cayley graph from the identity, so words are short).
/// This is enough for all element arithmetic: x·y follows `words[y]` from `x`.
///
/// ```swift
/// let e = try group.enumeration()
/// e.product(e.inverse(of: 5), 5)   // 0, the identity
/// ```
public struct GroupEnumeration: Sendable {
    /// |G|, the number of elements.
    public let count: Int
    /// k, the number of generators.
    public let generatorCount: Int
    /// `table[x * 2k + 2g]` = x·g and `table[x * 2k + 2g + 1]` = x·g⁻¹ (k generators).
    public let table: [Int32]
    /// The word of each element, stored as a spanning tree (O(|G|) memory, not
    /// O(|G| · word length)): `words[x]` is built on access.
    public let words: SpanningTreeWords

    /// Wraps a complete table and spanning-tree words; traps unless
    /// `table.count == count · 2 · generatorCount` and `words.count == count`. The table is not checked
    /// for being a group's Cayley table.
    public init(count: Int, generatorCount: Int, table: [Int32], words: SpanningTreeWords) {
        precondition(table.count == count * 2 * generatorCount && words.count == count)
        self.count = count
        self.generatorCount = generatorCount
        self.table = table
        self.words = words
    }

    /// x·g for a letter g (a generator or its inverse, `Word` encoding).
    /// - Complexity: O(1), one table lookup.
    @inline(__always)
    public func product(_ x: Int, letter: Int32) -> Int {
        let g = Word.generatorIndex(letter)
        return Int(table[x * 2 * generatorCount + 2 * g + (letter > 0 ? 0 : 1)])
    }

    /// x·w, following the letters of w from x.
    /// - Complexity: O(|w|).
    public func product(_ x: Int, word: Word) -> Int {
        var y = x
        for letter in word.letters { y = product(y, letter: letter) }
        return y
    }

    /// x·y.
    /// - Complexity: O(ℓ) for `words[y]` of length ℓ.
    public func product(_ x: Int, _ y: Int) -> Int { product(x, word: words[y]) }

    /// The element a word evaluates to.
    /// - Complexity: O(|w|).
    public func element(of word: Word) -> Int { product(0, word: word) }

    /// x⁻¹, found by following the inverse of `words[x]` from the identity.
    /// - Complexity: O(ℓ) for a word of length ℓ.
    public func inverse(of x: Int) -> Int { product(0, word: words[x].inverse) }

    /// Left multiplication by h: the table y ↦ h·y, built along the spanning tree
    /// (h·y = (h·parent(y))·letter(y)).
    /// - Complexity: O(|G|).
    public func leftMultiplication(by h: Int) -> [Int32] {
        var result = [Int32](repeating: 0, count: count)
        result[0] = Int32(h)
        for y32 in words.treeOrder.dropFirst() {
            let y = Int(y32)
            result[y] = Int32(product(Int(result[Int(words.parents[y])]), letter: words.letters[y]))
        }
        return result
    }

    /// Builds the table by breadth-first search over a faithful action, given as a
    /// function that multiplies an element's key by a generator image.
    ///
    /// - Parameters:
    ///   - identity: the key of the identity.
    ///   - generators: keys of the generators; inverses are found in the table.
    ///   - multiply: `key(x) · key(g)`.
    ///   - limit: stop and return `nil` past this many elements.
    /// - Complexity: O(|G| · k) calls to `multiply` and dictionary lookups for k generators.
    public static func closure<Key: Hashable>(
        identity: Key, generators: [Key], limit: Int, multiply: (Key, Key) -> Key
    ) -> (enumeration: GroupEnumeration, keys: [Key])? {
        var index: [Key: Int32] = [identity: 0]
        return closure(
            identity: identity, generators: generators, limit: limit, multiply: multiply,
            find: { index[$0] }, insert: { index[$0] = $1 })
    }

    /// The closure with a caller-supplied element index: `find` returns the number of
    /// an element already listed that equals the key (by whatever equality the caller
    /// uses, e.g. within a tolerance), `insert` records a new one. `multiply` may throw
    /// to stop early (e.g. entries growing without bound).
    /// - Complexity: O(|G| · k) calls to `multiply` and `find` for k generators.
    public static func closure<Key, E: Error>(
        identity: Key, generators: [Key], limit: Int, multiply: (Key, Key) throws(E) -> Key,
        find: (Key) -> Int32?, insert: (Key, Int32) -> Void
    ) throws(E) -> (enumeration: GroupEnumeration, keys: [Key])? {
        let k = generators.count
        var keys = [identity]
        var parents: [Int32] = [-1]
        var letters: [Int32] = [0]
        var forward: [Int32] = []  // x·g for each x, g, filled in BFS order
        var next = 0
        while next < keys.count {
            let x = keys[next]
            for g in 0..<k {
                let y = try multiply(x, generators[g])
                if let j = find(y) {
                    forward.append(j)
                } else {
                    guard keys.count < limit else { return nil }
                    insert(y, Int32(keys.count))
                    forward.append(Int32(keys.count))
                    keys.append(y)
                    parents.append(Int32(next))
                    letters.append(Int32(g + 1))
                }
            }
            next += 1
        }
        let n = keys.count
        var table = [Int32](repeating: -1, count: n * 2 * k)
        for x in 0..<n {
            for g in 0..<k {
                let y = Int(forward[x * k + g])
                table[x * 2 * k + 2 * g] = Int32(y)
                table[y * 2 * k + 2 * g + 1] = Int32(x)
            }
        }
        let words = SpanningTreeWords(parents: parents, letters: letters)
        return (GroupEnumeration(count: n, generatorCount: k, table: table, words: words), keys)
    }

    /// The regular representation: ρ(g) sends e_x to e_{x·g⁻¹}, a homomorphism
    /// in the matrix convention (ρ(gh) = ρ(g)ρ(h)).
    public var regularRepresentation: Representation {
        let images = (0..<generatorCount).map { g in
            Permutation(uncheckedImages: (0..<count).map { x in table[x * 2 * generatorCount + 2 * g + 1] })
        }
        return Representation(permutations: images, dimension: count)
    }

    /// Conjugacy classes, each sorted, ordered by their smallest element
    /// (so the identity's class `[0]` comes first).
    /// - Complexity: O(|G| · k) table lookups for k generators (each g⁻¹xg is two lookups
    ///   after k left-multiplication tables), plus sorting the classes.
    public func conjugacyClasses() -> ConjugacyClasses {
        var classOf = [Int32](repeating: -1, count: count)
        var classes: [[Int]] = []
        // g⁻¹·x for every generator g and element x, so g⁻¹ x g is two lookups.
        let leftByInverse = (0..<generatorCount).map { leftMultiplication(by: element(of: Word.generator($0, inverse: true))) }
        for start in 0..<count where classOf[start] < 0 {
            let c = Int32(classes.count)
            var members = [start]
            classOf[start] = c
            var i = 0
            while i < members.count {
                let x = members[i]
                for g in 0..<generatorCount {
                    // g⁻¹ x g
                    let y = product(Int(leftByInverse[g][x]), letter: Int32(g + 1))
                    if classOf[y] < 0 {
                        classOf[y] = c
                        members.append(y)
                    }
                }
                i += 1
            }
            classes.append(members.sorted())
        }
        return ConjugacyClasses(classes: classes, classOf: classOf.map(Int.init), enumeration: self)
    }

    /// Element orders, by following powers: x^k = x·x^(k−1) by left multiplication.
    /// - Complexity: O(|G|).
    public func order(of x: Int) -> Int {
        if x == 0 { return 1 }
        let left = leftMultiplication(by: x)
        var y = x
        var k = 1
        while y != 0 { y = Int(left[y]); k += 1 }
        return k
    }
}

/// The words of a group's elements as a spanning tree of its Cayley graph: element x's
/// word is its parent's word followed by one letter. O(|G|) memory; `self[x]` builds
/// the word in O(its length).
///
/// ```swift
/// let words = SpanningTreeWords(parents: [-1, 0, 1], letters: [0, 1, 1])
/// words[2].letters    // [1, 1]
/// ```
public struct SpanningTreeWords: RandomAccessCollection, Sendable {
    /// The parent of each element (−1 for the identity, element 0).
    public let parents: [Int32]
    /// The letter on the edge from the parent (`Word` encoding; 0 for the identity).
    public let letters: [Int32]
    /// Word length of each element.
    public let lengths: [Int32]

    /// The elements ordered by word length, so a parent always comes before its child.
    public let treeOrder: [Int32]

    /// The tree from each element's parent and edge letter; traps unless element 0 is the root
    /// (parent −1) and the parents form a tree. Computes `lengths` and `treeOrder`.
    /// - Complexity: O(n) for n elements.
    public init(parents: [Int32], letters: [Int32]) {
        precondition(parents.count == letters.count && (parents.first ?? -1) == -1)
        let n = parents.count
        var lengths = [Int32](repeating: -1, count: n)
        if n > 0 { lengths[0] = 0 }
        var path: [Int] = []
        for x in 0..<n where lengths[x] < 0 {
            var y = x
            while lengths[y] < 0 {
                path.append(y)
                y = Int(parents[y])
                precondition(y >= 0 && path.count <= n, "the parents do not form a tree rooted at element 0")
            }
            var length = lengths[y]
            while let z = path.popLast() {
                length += 1
                lengths[z] = length
            }
        }
        // Counting sort by length.
        let longest = Int(lengths.max() ?? 0)
        var starts = [Int](repeating: 0, count: longest + 2)
        for l in lengths { starts[Int(l) + 1] += 1 }
        for i in 0..<(longest + 1) { starts[i + 1] += starts[i] }
        var order = [Int32](repeating: 0, count: n)
        for x in 0..<n {
            order[starts[Int(lengths[x])]] = Int32(x)
            starts[Int(lengths[x])] += 1
        }
        self.parents = parents
        self.letters = letters
        self.lengths = lengths
        self.treeOrder = order
    }

    /// 0.
    public var startIndex: Int { 0 }
    /// The number of elements.
    public var endIndex: Int { parents.count }

    /// The word of element x, read from the root down to x.
    /// - Complexity: O(ℓ) for a word of length ℓ.
    public subscript(x: Int) -> Word {
        var result = [Int32](repeating: 0, count: Int(lengths[x]))
        var y = x
        var i = result.count
        while y != 0 {
            i -= 1
            result[i] = letters[y]
            y = Int(parents[y])
        }
        return Word(result)
    }
}

/// The conjugacy classes of an enumerated group.
public struct ConjugacyClasses: Sendable {
    /// The classes, each sorted ascending, ordered by their smallest element (`[0]` first).
    public let classes: [[Int]]
    /// The index in `classes` of each element's class.
    public let classOf: [Int]
    /// The enumerated group the element numbers refer to.
    public let enumeration: GroupEnumeration

    /// The number of conjugacy classes (the number of irreducible characters over ℂ).
    public var count: Int { classes.count }
    /// The size of each class, in the order of `classes`.
    public var sizes: [Int] { classes.map(\.count) }
    /// The first (shortest-word) element of each class.
    public var representatives: [Int] { classes.map { $0[0] } }
    /// A word for each class representative.
    /// - Complexity: O(total length of the words): quadratic in |G| for a cyclic group
    ///   (words a^k up to k ≈ |G|/2); use `representativeWordLengths` and
    ///   `representativeRunCounts` to price the words before building them.
    public var representativeWords: [Word] { representatives.map { enumeration.words[$0] } }

    /// The length of each representative's word, in O(number of classes).
    public var representativeWordLengths: [Int] { representatives.map { Int(enumeration.words.lengths[$0]) } }

    /// The number of runs of equal letters in each representative's word (a^5 b a^2 has 3),
    /// without building the words: O(|G|) over the spanning tree.
    public var representativeRunCounts: [Int] {
        let words = enumeration.words
        var runs = [Int32](repeating: 0, count: words.count)
        for x32 in words.treeOrder where x32 != 0 {
            let x = Int(x32), p = Int(words.parents[x])
            runs[x] = runs[p] + (p == 0 || words.letters[p] != words.letters[x] ? 1 : 0)
        }
        return representatives.map { Int(runs[$0]) }
    }

    /// The character of `rep` on each class, in class order.
    /// - Complexity: one `Representation.trace(of:)` per class, on the representative's word.
    public func character(of rep: Representation) -> [ExactOrReal] {
        representativeWords.map { rep.trace(of: $0) }
    }

    /// ⟨χ_a, χ_b⟩ = (1/|G|) Σ_g χ_a(g⁻¹) χ_b(g): the dimension of the space of
    /// G-maps between the real representations a and b (for real representations
    /// χ(g⁻¹) = χ(g)). Exact when both characters are exact.
    /// - Complexity: O(number of classes).
    public func innerProduct(_ a: [ExactOrReal], _ b: [ExactOrReal]) -> ExactOrReal {
        precondition(a.count == count && b.count == count)
        var exact = Rational.zero
        var real = 0.0
        var allExact = true
        let sizes = self.sizes
        for c in 0..<count {
            switch (a[c], b[c]) {
            case let (.exact(x), .exact(y)): if !x.isZero && !y.isZero { exact += Rational(sizes[c]) * x * y }
            default: allExact = false
            }
            real += Double(sizes[c]) * a[c].doubleValue * b[c].doubleValue
        }
        if allExact { return .exact(exact / Rational(enumeration.count)) }
        return .real(real / Double(enumeration.count))
    }
}
