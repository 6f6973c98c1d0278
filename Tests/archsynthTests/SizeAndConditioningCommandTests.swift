import Foundation
import XCTest

/// Issue 12 remainders end to end: ill-conditioned non-orthogonal representations fail with
/// a clear error (exit 1), sizes are refused before any solving, huge multiplicities and long
/// relators do not make the commands quadratic.
final class SizeAndConditioningCommandTests: ScratchDirectoryTestCase {
    /// ρ(s) = A·diag(−I₃₂, I₃₃)·A⁻¹ of C2 with A = [[I, I], [0, εI]] (and its transpose form):
    /// [[−I, (2/ε)I], [0, I]] ⊕ 1, an exact involution written in Float64 ("…​.0"), so the solver
    /// must build an invariant inner product by averaging; 65 × 65 puts 4225 unknowns above the
    /// dense limit, so only the isotypic route applies. κ(A) ≈ 2/ε.
    func conditionedSpec(upper: String, lower: String) -> String {
        let n = 65, h = 32
        func rows(_ offDiagonal: String, upperForm: Bool) -> String {
            (0..<n).map { i in
                "[" + (0..<n).map { j -> String in
                    if i == j { return i < h ? "-1.0" : "1.0" }
                    if upperForm, i < h, j == i + h { return offDiagonal }
                    if !upperForm, j < h, i == j + h { return offDiagonal }
                    return "0.0"
                }.joined(separator: ",") + "]"
            }.joined(separator: ",")
        }
        return #"{"name": "C2skew", "generators": ["s"], "relators": ["s^2"], "order": "2", "representations": {"# +
            #""up": {"matrix": {"s": [\#(rows(upper, upperForm: true))]}}, "# +
            #""low": {"matrix": {"s": [\#(rows(lower, upperForm: false))]}}}}"#
    }

    /// Issue 12: "a precondition in RealMatrixKernels is reachable on ill-conditioned
    /// non-orthogonal representations". It is a thrown error now (`RealSolverError.illConditioned`,
    /// unit-tested in GroupTheoryTests); on these inputs the checks before it (the invariant inner
    /// product, the orthogonalized images) refuse first. Either way: exit 1, a message that names
    /// the ill-conditioning and says what to give instead, nothing on stdout.
    func testIllConditionedNonOrthogonalRepresentationsAreClearErrors() throws {
        // ε = 3e-5: the group average stays singular at the 1e-10 eigenvalue threshold.
        let singular = try write("skew1.json", conditionedSpec(upper: "66666.66666666667", lower: "66666.66666666667"))
        try fails(["basis", singular, "--in", "up", "--out", "up"],
                  mentioning: ["Float64 solver", "too ill-conditioned for Float64", "give orthogonal or exact rational images"])
        // ε = 1e-4: the images made orthogonal are off by ~6e-7.
        let skewed = try write("skew2.json", conditionedSpec(upper: "20000.0", lower: "20000.0"))
        try fails(["basis", skewed, "--in", "low", "--out", "up"],
                  mentioning: ["Float64 solver", "badly conditioned", "Check that the images form a representation"])
        try fails(["generate", "layer", skewed, "--in", "low", "--out", "up", "--name", "Skew", "-o", "Skew.swift"],
                  mentioning: ["badly conditioned"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("Skew.swift").path))
    }

    /// 100000*natural → 100000*natural of S4: 1.6·10¹¹ index pairs. Refused from the layouts,
    /// before any block is solved (the refusal once came after a 10¹⁰-step loop over copy pairs).
    func testHugeMultiplicitiesAreRefusedBeforeSolving() throws {
        let message = ["the weight matrix has 400000 × 400000 = 160000000000 entries", "above the monomial solver's limit of 25000000 index pairs"]
        try fails(["basis", "symmetric:4", "--in", "100000*natural", "--out", "100000*natural"], mentioning: message)
        try fails(["generate", "layer", "symmetric:4", "--in", "100000*natural", "--out", "100000*natural",
                   "--name", "Huge", "-o", "Huge.swift"], mentioning: message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("Huge.swift").path))
    }

    /// Every limit an error names comes with a flag, and each command that can hit the limit
    /// takes that flag: lowered, the limit refuses (naming the flag); at its default, the same
    /// command succeeds. (The exact-elimination message once told `generate layer` users to pass
    /// --max-exact-unknowns, which only `basis` accepted.)
    func testEverySolverLimitCanBeRaisedOnTheCommandThatHitsIt() throws {
        let spec = try write("S3std.json", """
            {"name": "S3std", "order": "6", "generators": ["s", "c"], "defining": "natural",
             "representations": {
               "natural": {"permutation": {"s": [1, 0, 2], "c": [1, 2, 0]}},
               "standard": {"matrix": {"s": [[-1, 1], [0, 1]], "c": [[0, -1], [1, -1]]}}}}
            """)
        let layer = ["--name", "L", "-o", "L.swift"]
        let config = try write("c.archsynth.json", #"{"spec": "S3std.json", "layers": [{"name": "C", "in": "standard^2", "out": "standard^2"}]}"#)
        let cases: [(arguments: [String], limit: [String], message: String)] = [
            (["generate", "from-config", config, "-o", "out"], ["--max-exact-unknowns", "8"], "(--max-exact-unknowns N)"),
            (["generate", "layer", spec, "--in", "standard^2", "--out", "standard^2"] + layer,
             ["--max-exact-unknowns", "8"], "(--max-exact-unknowns N)"),
            (["generate", "network", spec, "--reps", "standard^2,standard^2"] + layer,
             ["--max-exact-unknowns", "8"], "(--max-exact-unknowns N)"),
            (["verify", spec, "--in", "standard^2", "--out", "standard^2"], ["--max-exact-unknowns", "8"], "(--max-exact-unknowns N)"),
            (["basis", "symmetric:4", "--in", "3*natural", "--out", "3*natural"], ["--max-index-pairs", "100"], "(command line: --max-index-pairs N)"),
            (["generate", "layer", "symmetric:4", "--in", "3*natural", "--out", "3*natural"] + layer,
             ["--max-index-pairs", "100"], "(command line: --max-index-pairs N)"),
            // Above --max-basis-entries the basis is kept factored; with the factored route limited
            // too, the error names both flags.
            (["basis", "dihedral:5", "--in", "plane^2", "--out", "plane^2"], ["--max-basis-entries", "10", "--max-factored-dimension", "3"],
             "--max-basis-entries N), and keeping it factored failed: the input representation has dimension 4, above the limit of 3 for the factored basis (an O(d³) decomposition); use smaller representations or raise SolverOptions.maxFactoredDimension (command line: --max-factored-dimension N)"),
            (["generate", "layer", "dihedral:5", "--in", "plane^2", "--out", "plane^2"] + layer,
             ["--max-basis-entries", "10", "--max-factored-dimension", "3"], "(command line: --max-factored-dimension N)"),
            (["basis", "symmetric:4", "--in", "natural^3", "--out", "natural"], ["--max-rep-dimension", "10"], "command line: --max-rep-dimension N"),
            (["info", "symmetric:4", "--max-rep-dimension", "10"], [], ""),
            (["basis", "dihedral:5", "--in", "plane^2", "--out", "plane"], ["--max-dense-entries", "20"], "command line: --max-dense-entries N"),
        ]
        for c in cases {
            let r = try CommandRunner.run(c.arguments, in: directory)
            XCTAssertEqual(r.status, 0, "\(c.arguments): \(r.stderr)")
            guard !c.limit.isEmpty else { continue }
            try fails(c.arguments + c.limit, mentioning: c.message)
        }
        // --float: the same exact representation solved in Float64 instead.
        let float = try CommandRunner.run(["generate", "layer", spec, "--in", "standard", "--out", "standard", "--float"] + layer, in: directory)
        XCTAssertEqual(float.status, 0, float.stderr)
        XCTAssertTrue(try String(contentsOf: directory.appendingPathComponent("L.swift"), encoding: .utf8).contains("Float64"))
        // from-config takes --float too, and records it in the header it writes.
        let floatConfig = try CommandRunner.run(["generate", "from-config", config, "-o", "out", "--float"], in: directory)
        XCTAssertEqual(floatConfig.status, 0, floatConfig.stderr)
        let written = try String(contentsOf: directory.appendingPathComponent("out/C.swift"), encoding: .utf8)
        XCTAssertTrue(written.contains("// Command: archsynth generate from-config c.archsynth.json --float\n"), String(written.prefix(400)))
        XCTAssertTrue(written.contains("Float64 constants"))
    }

    /// A wide network's ReLU coordinates are one range, not an 8000-literal array (swiftc
    /// type-checks array literals element by element; 100000*natural wrote 400,000 of them).
    func testWideNetworkActivationIndicesAreARange() throws {
        let r = try CommandRunner.run(["generate", "network", "symmetric:4", "--reps", "natural,2000*natural,trivial",
                                       "--name", "Wide", "-o", "Wide.swift"], in: directory)
        XCTAssertEqual(r.status, 0, r.stderr)
        let source = try String(contentsOf: directory.appendingPathComponent("Wide.swift"), encoding: .utf8)
        XCTAssertTrue(source.contains("reluIndex: Array(0..<8000),"), "no range for the 8000 ReLU coordinates")
        XCTAssertFalse(source.contains("reluIndex: [0, 1, 2,"))
    }

    /// {a | a^100000}: the cyclic group of order 100000 is enumerated, but its class words
    /// a^k (up to k = 50000) are 2.5·10⁹ letters: info prices them from the spanning tree and
    /// leaves the characters out with the cost and the budget (it ran for minutes and 10 GB).
    func testLongPowerRelatorInfoPricesTheClassWords() throws {
        let spec = try write("power.json", #"{"name": "C100000", "generators": ["a"], "relators": ["a^100000"], "representations": {"t": {"matrix": {"a": [[1]]}}}}"#)
        let r = try CommandRunner.run(["info", spec], in: directory)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("100000"), r.stdout)
        XCTAssertTrue(r.stdout.contains("characters not computed"), r.stdout)
        XCTAssertTrue(r.stdout.contains("above the work budget 100000000"), r.stdout)
    }
}
