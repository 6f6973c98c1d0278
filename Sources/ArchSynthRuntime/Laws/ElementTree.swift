/// The elements of a group given only by generator actions, as a breadth-first tree: element 0
/// is the identity, element e is element `parent[e]` followed by generator `step[e]`. Memory is
/// O(|G|) even when the longest word is long (C₃₀₀₀ has a word of 2,999 letters).
///
/// ```swift
/// let law = Law.generated(name: "S4", generatorCount: 2, inputSizes: [4], outputSize: 4,
///                         actOnInputs: { g, x in [perm[g].apply(x[0])] }, actOnOutput: { g, y in perm[g].apply(y) })
/// law.isComplete   // true: 24 elements, walked one generator action at a time
/// ```
public struct ElementTree: Sendable {
    /// parent[e]: the element e extends by one generator (parent[0] = 0, the identity).
    public let parent: [Int]
    /// step[e]: the generator applied after parent[e] (−1 for the identity).
    public let step: [Int]
    /// The children of every element (the order the depth-first walk visits them).
    public let children: [[Int]]
    /// Generator `s` on the inputs and on the output.
    public let actOnInputs: @Sendable (Int, [[Double]]) -> [[Double]]
    /// Generator `s` on the output.
    public let actOnOutput: @Sendable (Int, [Double]) -> [Double]

    /// The generator indices of element e, in the order they are applied.
    public func word(_ e: Int) -> [Int] {
        var w: [Int] = []
        var e = e
        while e > 0 {
            w.append(step[e])
            e = parent[e]
        }
        return w.reversed()
    }
}

extension Law {
    /// The law of a group known only by its generators' actions on the inputs and the output:
    /// every element when the group acting on inputs ⊕ output has at most `limit` elements
    /// (breadth-first closure keyed by the image of a random probe vector, so elements acting
    /// identically are one; checks walk the tree of generator steps), else every generator
    /// plus `randomWords` random words of up to 24 letters.
    ///
    /// The one enumeration behind `verify` on library layers, on compiled generated layers and
    /// networks (`GeneratedModelVerifier`) and `Law.representations`.
    public static func generated(
        name: String, generatorCount k: Int, inputSizes: [Int], outputSize: Int,
        actOnInputs: @escaping @Sendable (Int, [[Double]]) -> [[Double]], actOnOutput: @escaping @Sendable (Int, [Double]) -> [Double],
        limit: Int = 5_000, randomWords: Int = 200, seed: UInt64 = 0x0D15_7B1B
    ) -> Law {
        var rng = RuntimeRandom(seed: seed)
        let pIn = inputSizes.map { n in (0..<n).map { _ in rng.unit() * 2 - 1 } }
        let pOut = (0..<outputSize).map { _ in rng.unit() * 2 - 1 }
        // Rounded to 1e-6; a value too large for Int64 (or not finite) keys by its bits.
        func key(_ a: [[Double]], _ b: [Double]) -> [Int64] {
            (a.flatMap { $0 } + b).map { x in
                let y = (x * 1e6).rounded()
                return Swift.abs(y) < 9e18 ? Int64(y) : Int64(bitPattern: y.bitPattern)
            }
        }
        var seen: Set<[Int64]> = [key(pIn, pOut)]
        var images: [([[Double]], [Double])] = [(pIn, pOut)]
        var parent = [-1], step = [-1]
        var i = 0
        var complete = true
        closure: while i < images.count {
            let (a, b) = images[i]
            i += 1
            for g in 0..<k {
                let a2 = actOnInputs(g, a), b2 = actOnOutput(g, b)
                if seen.insert(key(a2, b2)).inserted {
                    guard images.count < limit else {
                        complete = false
                        break closure
                    }
                    images.append((a2, b2))
                    parent.append(i - 1)
                    step.append(g)
                }
            }
        }
        if complete {
            var children = [[Int]](repeating: [], count: parent.count)
            for e in 1..<max(1, parent.count) { children[parent[e]].append(e) }
            let tree = ElementTree(parent: parent, step: step, children: children, actOnInputs: actOnInputs, actOnOutput: actOnOutput)
            return Law(
                name: name, elementCount: parent.count, isComplete: true,
                describe: { e in e == 0 ? "identity" : "word \(tree.word(e))" },
                actOnInputs: { e, x in tree.word(e).reduce(x) { actOnInputs($1, $0) } },
                actOnOutput: { e, y in tree.word(e).reduce(y) { actOnOutput($1, $0) } },
                tree: tree)
        }
        var words = (0..<k).map { [$0] }
        for _ in 0..<randomWords where k > 0 {
            words.append((0..<(1 + Int(rng.next() % 24))).map { _ in Int(rng.next() % UInt64(k)) })
        }
        let list = words
        return Law(
            name: name, elementCount: list.count, isComplete: false,
            describe: { "word \(list[$0])" },
            actOnInputs: { e, x in list[e].reduce(x) { actOnInputs($1, $0) } },
            actOnOutput: { e, y in list[e].reduce(y) { actOnOutput($1, $0) } })
    }
}
