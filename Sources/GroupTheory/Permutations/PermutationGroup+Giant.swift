/// Recognizing the "giants" A_n and S_n in their natural action, so their order is
/// known before any Schreier–Sims (Seress §10.2; GAP's `IsNaturalSymmetricGroup`).
extension PermutationGroup {
    /// n! or n!/2 if `⟨generators⟩` provably contains A_n, else `nil` ("don't know").
    ///
    /// Jordan (1873): a primitive group of degree n containing a p-cycle, p prime,
    /// p ≤ n − 3, contains A_n. An element with a cycle of prime length p > n/2 has
    /// all other cycle lengths < p, hence prime to p, so a power of it is a p-cycle.
    /// About log 2 / log n of the elements of S_n have such a cycle; `attempts`
    /// pseudo-random elements are tried. Only for n ≥ 8 (smaller n have no such p).
    static func alternatingOrSymmetricOrder(
        generators: [[Int32]], degree n: Int, attempts: Int = 60, seed: UInt64 = 0x4A6F_7264
    ) -> BigUInt? {
        guard n >= 8, !generators.isEmpty else { return nil }
        var seen = [Bool](repeating: false, count: n)
        guard orbit(of: 0, generators: generators, seen: &seen).count == n else { return nil }
        var random = ProductReplacement(
            generators: generators.map { Permutation(uncheckedImages: $0) }, degree: n, seed: seed)
        var found = false
        for _ in 0..<attempts where hasJordanCycle(random.nextImages(), degree: n) {
            found = true
            break
        }
        guard found, isPrimitive(generators: generators, degree: n) else { return nil }
        var order = BigUInt.factorial(n)
        let allEven = generators.allSatisfy { Permutation(uncheckedImages: $0).sign == 1 }
        if allEven { _ = order.divide(bySmall: 2) }
        return order
    }

    /// Whether `g` has a cycle of prime length p with n/2 < p ≤ n − 3.
    static func hasJordanCycle(_ g: [Int32], degree n: Int) -> Bool {
        var seen = [Bool](repeating: false, count: n)
        for start in 0..<n where !seen[start] {
            var length = 0
            var x = start
            while !seen[x] {
                seen[x] = true
                x = Int(g[x])
                length += 1
            }
            if 2 * length > n {
                return length <= n - 3 && isPrime(length)
            }
        }
        return false
    }

    static func isPrime(_ m: Int) -> Bool {
        guard m >= 2 else { return false }
        var d = 2
        while d * d <= m {
            if m % d == 0 { return false }
            d += 1
        }
        return true
    }
}
