// The GroupTheory paths the duplication clean-up (issue 19, branch dedup) touched, timed the
// same way in a base and a head build (run.sh): sifting and random elements of Schreier–Sims
// (StabilizerChain), sparse triplet canonicalization (SparseMatrix, RationalSparseMatrix),
// symmetric squares (Representation+Algebra), JSON arrays and objects, matrix-entry expressions.
// Prints the best of 5 wall-clock milliseconds per case (ContinuousClock; no Foundation).

func best(_ name: String, _ body: () -> Int) {
    var times: [Double] = []
    var check = 0
    for _ in 0..<5 {
        let start = ContinuousClock.now
        check &+= body()
        let d = ContinuousClock.now - start
        times.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15)
    }
    let ms = times.min()!
    print("\(name)\t\(ms < 10 ? String(Double(Int(ms * 1000)) / 1000) : String(Double(Int(ms * 10)) / 10)) ms\t(check \(check % 1000))")
}

func cycleGenerators(_ n: Int, offset: Int = 0, degree: Int) -> [Permutation] {
    var swap = Array(0..<Int32(degree)), cycle = swap
    swap[offset] = Int32(offset + 1); swap[offset + 1] = Int32(offset)
    for i in 0..<n { cycle[offset + i] = Int32(offset + (i + 1) % n) }
    return [Permutation(images: swap), Permutation(images: cycle)]
}

// Schreier–Sims sifts every Schreier generator (deterministic S_50; the default init, randomized
// with a verification, on S_40 × S_40); S_200 is built by Jordan's giant test.
let s50 = cycleGenerators(50, degree: 50)
best("schreier-sims deterministic S_50") { PermutationGroup.deterministic(generators: s50, degree: 50).order.description.count }
let s40s40 = cycleGenerators(40, degree: 80) + cycleGenerators(40, offset: 40, degree: 80)
best("schreier-sims init S_40 x S_40") { PermutationGroup(generators: s40s40, degree: 80).order.description.count }
let s200 = PermutationGroup(generators: cycleGenerators(200, degree: 200), degree: 200)
best("random elements S_200 (x2000)") {
    var rng = SplitMix64(seed: 3), sum = 0
    for _ in 0..<2_000 { sum &+= Int(s200.randomElement(using: &rng).images[0]) }
    return sum
}
best("membership S_200 (x2000 sifts)") {
    var rng = SplitMix64(seed: 4), sum = 0
    for _ in 0..<2_000 where s200.contains(s200.randomElement(using: &rng)) { sum += 1 }
    return sum
}

// Sparse canonicalization: 2·10^5 Double triplets, 3·10^4 Rational ones, with duplicates.
var rng = SplitMix64(seed: 1)
let triplets = (0..<200_000).map { _ in (row: Int(rng.next() % 2000), column: Int(rng.next() % 2000), value: rng.nextUnit() - 0.5) }
best("SparseMatrix 2e5 triplets") { SparseMatrix(rows: 2000, columns: 2000, entries: triplets).nonzeroCount }
let rationalTriplets = (0..<30_000).map { _ in (row: Int(rng.next() % 300), column: Int(rng.next() % 300), value: Rational(Int(rng.next() % 7) - 3, Int(rng.next() % 5) + 1)) }
best("RationalSparseMatrix 3e4 triplets") { RationalSparseMatrix(rows: 300, columns: 300, entries: rationalTriplets).nonzeroCount }

// Symmetric and exterior squares of a 24-dimensional real representation (300×300 images).
let rotation = Matrix(rows: 24, columns: 24, elements: (0..<576).map { _ in rng.nextUnit() })
let real = Representation(realMatrices: [rotation, rotation.transposed])
best("sym2 + alt2 of a real 24-dim rep") { real.symmetricSquare.dimension + real.exteriorSquare.dimension }

// JSON: an array of 2·10^5 numbers and an object of 5·10^4 members.
let array = "[" + (0..<200_000).map { String($0 % 977) }.joined(separator: ", ") + "]"
let object = "{" + (0..<50_000).map { "\"k\($0)\": [\($0), true, null]" }.joined(separator: ", ") + "}"
best("JSON array 2e5 + object 5e4") { ((try? JSONValue(parsing: array, maxDepth: 8)) != nil ? 1 : 0) + ((try? JSONValue(parsing: object, maxDepth: 8)) != nil ? 1 : 0) }

// Matrix-entry expressions: sums and products, 2·10^4 parses.
let entries = (0..<20_000).map { "\($0 % 13)/7 + sqrt(5)/4 * \($0 % 5 + 1) - 3 * (1 + \($0 % 3))/2" }
best("entry expressions 2e4") { entries.reduce(0) { $0 + ((try? ExactOrReal(parsing: $1)) != nil ? 1 : 0) } }

// Branch dedup3: Todd–Coxeter's scans (scan-and-fill and the deduction scan share one trace)
// under both strategies, and representation-expression sums and products (one chain parser;
// 20,001 texts, so the check is 5 (5 runs × 20,001 mod 1000) exactly when every one parses).
let e6 = try! Presentation(
    generators: ["s1", "s2", "s3", "s4", "s5", "s6"],
    relatorTexts: ["s1^2", "s2^2", "s3^2", "s4^2", "s5^2", "s6^2", "(s1*s2)^2", "(s1*s3)^3", "(s1*s4)^2", "(s1*s5)^2", "(s1*s6)^2",
                   "(s2*s3)^2", "(s2*s4)^3", "(s2*s5)^2", "(s2*s6)^2", "(s3*s4)^3", "(s3*s5)^2", "(s3*s6)^2", "(s4*s5)^3", "(s4*s6)^2", "(s5*s6)^3"])
let psl229 = try! Presentation(generators: ["x", "y"], relatorTexts: ["x^29", "y^2", "(x*y)^3", "(x^4*y*x^15*y)^2"])
for (name, p) in [("E6", e6), ("PSL(2,29)", psl229)] {
    for (label, strategy) in [("felsch", EnumerationOptions.Strategy.felsch), ("hlt", .hlt)] {
        best("todd-coxeter \(name) \(label)") { (try? ToddCoxeter.enumerate(p, options: EnumerationOptions(strategy: strategy)).cosetCount) ?? -1 }
    }
}
let representationTexts = (0..<20_001).map { "natural^\($0 % 3 + 1) + \($0 % 4 + 1)*trivial + (sign*natural + dual(natural))*natural + sym2(natural)" }
best("representation expressions 2e4 (check 5: all parsed)") { representationTexts.reduce(0) { $0 + ((try? RepresentationExpression(parsing: $1)) != nil ? 1 : 0) } }
