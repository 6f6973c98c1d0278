/// Orbits and blocks, computed from the generators alone.
extension PermutationGroup {
    /// The orbit of `point` under the group, sorted increasingly.
    ///
    /// ```swift
    /// PermutationGroup(generators: [try Permutation(cycles: "(0,2)", degree: 4)], degree: 4).orbit(of: 0)  // [0, 2]
    /// ```
    /// - Complexity: O(|orbit| · |generators|).
    public func orbit(of point: Int) -> [Int] {
        precondition(point >= 0 && point < degree, "point \(point) outside 0..<\(degree)")
        var seen = [Bool](repeating: false, count: degree)
        return PermutationGroup.orbit(of: point, generators: generators.map(\.images), seen: &seen).sorted()
    }

    /// All orbits (fixed points included as singletons), each sorted, ordered by
    /// their smallest point; together they partition `0..<degree`.
    public var orbits: [[Int]] {
        let images = generators.map(\.images)
        var seen = [Bool](repeating: false, count: degree)
        var result: [[Int]] = []
        for point in 0..<degree where !seen[point] {
            result.append(PermutationGroup.orbit(of: point, generators: images, seen: &seen).sorted())
        }
        return result
    }

    /// Whether the group has a single orbit (true for degree 0 and 1).
    public var isTransitive: Bool { degree <= 1 || orbit(of: 0).count == degree }

    /// Whether the group is transitive and preserves no non-trivial block system.
    /// - Complexity: O(n² · |generators|) (Atkinson's minimal-block algorithm for
    ///   each pair {0, b}).
    public var isPrimitive: Bool {
        PermutationGroup.isPrimitive(generators: generators.map(\.images), degree: degree)
    }

    /// Breadth-first orbit, marking `seen`.
    static func orbit(of point: Int, generators: [[Int32]], seen: inout [Bool]) -> [Int] {
        var orbit = [point]
        seen[point] = true
        var i = 0
        while i < orbit.count {
            let x = orbit[i]
            for g in generators {
                let y = Int(g[x])
                if !seen[y] {
                    seen[y] = true
                    orbit.append(y)
                }
            }
            i += 1
        }
        return orbit
    }

    static func isPrimitive(generators: [[Int32]], degree n: Int) -> Bool {
        if n <= 2 {
            var seen = [Bool](repeating: false, count: n)
            return n <= 1 || orbit(of: 0, generators: generators, seen: &seen).count == n
        }
        var seen = [Bool](repeating: false, count: n)
        guard orbit(of: 0, generators: generators, seen: &seen).count == n else { return false }
        for b in 1..<n where !minimalBlockIsEverything(generators: generators, degree: n, 0, b) {
            return false
        }
        return true
    }

    /// Atkinson (1975): the finest G-invariant partition in which `a` and `b` share
    /// a block, by union-find; each merged pair's images under every generator are
    /// merged in turn. Returns whether that partition is a single block.
    static func minimalBlockIsEverything(generators: [[Int32]], degree n: Int, _ a: Int, _ b: Int) -> Bool {
        var parent = (0..<Int32(n)).map { $0 }
        var classes = n
        var pairs: [(Int32, Int32)] = []
        func find(_ x: Int32) -> Int32 {
            var x = x
            while parent[Int(x)] != x {
                parent[Int(x)] = parent[Int(parent[Int(x)])]
                x = parent[Int(x)]
            }
            return x
        }
        func union(_ x: Int32, _ y: Int32) {
            let rx = find(x), ry = find(y)
            guard rx != ry else { return }
            parent[Int(max(rx, ry))] = min(rx, ry)
            classes -= 1
            pairs.append((x, y))
        }
        union(Int32(a), Int32(b))
        var i = 0
        while i < pairs.count && classes > 1 {
            let (x, y) = pairs[i]
            for g in generators { union(g[Int(x)], g[Int(y)]) }
            i += 1
        }
        return classes == 1
    }
}
