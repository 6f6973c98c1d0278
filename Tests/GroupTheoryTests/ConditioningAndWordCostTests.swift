@testable import GroupTheory
import XCTest

/// Issue 12 remainders in GroupTheory: the ill-conditioning error of the real kernels (once a
/// `precondition`) and pricing the class representatives' words without building them.
final class ConditioningAndWordCostTests: XCTestCase {
    /// `RealKernels.orthonormalize` throws `illConditioned` on a numerically dependent basis
    /// (it was a precondition: a trap). Two 2×2 matrices 1e-9 apart keep 1e-9 of the second's
    /// norm after Gram–Schmidt, below the 1e-6 threshold; 1e-3 apart they are accepted.
    func testOrthonormalizeThrowsOnANumericallyDependentBasis() throws {
        let a = Matrix(rows: 2, columns: 2, elements: [1, 0, 0, 1])
        let near = Matrix(rows: 2, columns: 2, elements: [1, 1e-9, 0, 1])
        XCTAssertThrowsError(try RealKernels.orthonormalize([a, near])) { error in
            guard case let .illConditioned(element, remaining) = error as? RealSolverError else {
                return XCTFail("expected illConditioned, got \(error)")
            }
            XCTAssertEqual(element, 1)
            XCTAssertLessThan(remaining, 1e-6)
            let text = "\(error)"
            XCTAssertTrue(text.contains("too ill-conditioned for Float64"), text)
            XCTAssertTrue(text.contains("Give orthogonal (or exact rational) generator images"), text)
        }
        let apart = Matrix(rows: 2, columns: 2, elements: [1, 1e-3, 0, 1])
        let q = try RealKernels.orthonormalize([a, apart])
        XCTAssertEqual(q.count, 2)
        XCTAssertEqual(RealKernels.frobenius(q[0], q[1]), 0, accuracy: 1e-12)
        XCTAssertEqual(RealKernels.frobenius(q[1], q[1]), 1, accuracy: 1e-12)
        // NaN input is refused too, not returned.
        let nan = Matrix(rows: 2, columns: 2, elements: [.nan, 0, 0, 1])
        XCTAssertThrowsError(try RealKernels.orthonormalize([nan]))
    }

    /// The lengths and run counts computed over the spanning tree equal those of the built
    /// words, for every class of D4 (a presentation) and of S4.
    func testRepresentativeWordLengthsAndRunsMatchTheWords() throws {
        for text in ["dihedral:4", "symmetric:4", "cyclic:12"] {
            let spec = try XCTUnwrap(try GroupSpec.builtin(text))
            let classes = try FiniteGroup(spec: spec).enumeration().conjugacyClasses()
            let words = classes.representativeWords
            XCTAssertEqual(classes.representativeWordLengths, words.map(\.letters.count), text)
            let runs = words.map { w -> Int in
                let l = w.letters
                return l.isEmpty ? 0 : 1 + l.indices.dropFirst().filter { l[$0] != l[$0 - 1] }.count
            }
            XCTAssertEqual(classes.representativeRunCounts, runs, text)
        }
    }

    /// One generator: the standardized table is written directly (a^100000 took 10¹⁰ scan steps
    /// in HLT, minutes in `info`). Checked against a hand-made table, against the general
    /// enumerator on {a, b | a^m, b} (b fixes every coset, so its a-columns are the same
    /// standardized table), and on gcds of several relators and subgroup indices.
    func testOneGeneratorPresentationsAreCyclicTables() throws {
        // C5: cosets ε, a, a⁻¹, a², a⁻²; rows [c·a, c·a⁻¹].
        let c5 = try ToddCoxeter.enumerate(Presentation(generators: ["a"], relatorTexts: ["a^5"]))
        XCTAssertEqual(c5, CosetTable(generatorCount: 1, table: [1, 2, 3, 0, 0, 4, 4, 1, 2, 3]))
        for m in [1, 2, 3, 4, 7, 12, 45] {
            let one = try ToddCoxeter.enumerate(Presentation(generators: ["a"], relatorTexts: ["a^\(m)"]))
            let two = try ToddCoxeter.enumerate(Presentation(generators: ["a", "b"], relatorTexts: ["a^\(m)", "b"]))
            XCTAssertEqual(one.cosetCount, m)
            XCTAssertEqual(two.cosetCount, m)
            for c in 0..<m {
                XCTAssertEqual(one.image(ofCoset: c, underLetter: 1), two.image(ofCoset: c, underLetter: 1), "C\(m), coset \(c)")
                XCTAssertEqual(one.image(ofCoset: c, underLetter: -1), two.image(ofCoset: c, underLetter: -1), "C\(m), coset \(c)")
            }
        }
        XCTAssertEqual(try Presentation(generators: ["a"], relatorTexts: ["a^12", "a^-18"]).order(), 6)
        XCTAssertEqual(try Presentation(generators: ["a"], relatorTexts: ["a^3 a a^-1 a^3"]).order(), 6)
        XCTAssertEqual(try Presentation(generators: ["a"], relatorTexts: ["a^100000"]).order(), 100_000)
        let c12 = try Presentation(generators: ["a"], relatorTexts: ["a^12"])
        XCTAssertEqual(try c12.index(ofSubgroup: [Word([1, 1, 1, 1, 1, 1, 1, 1])]), 4)   // ⟨a^8⟩ = ⟨a^4⟩
        // Infinite (no relator): the general enumerator's limit, as before.
        XCTAssertThrowsError(try Presentation(generators: ["a"], relatorTexts: []).order(options: .init(maxCosets: 100))) { error in
            guard case .cosetLimitExceeded(limit: 100, _) = error as? EnumerationError else { return XCTFail("\(error)") }
        }
        // Above the limit: refused from the gcd, with the enumerator's error.
        XCTAssertThrowsError(try Presentation(generators: ["a"], relatorTexts: ["a^1000000"]).order(options: .init(maxCosets: 1_000))) { error in
            XCTAssertEqual(error as? EnumerationError, .cosetLimitExceeded(limit: 1_000, liveCosets: 1_000))
        }
    }
}
