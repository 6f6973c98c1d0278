import ArchSynthExperiments
import ArchSynth
import ArchSynthRuntime
import Foundation
import GroupTheory
import XCTest

/// Unrolled-optimizer blocks built from the solver: invariant forms, the orthogonality check, law
/// errors against K for both forms, and the generated file through `verify` (passes; a mutated
/// copy fails).
final class UnrolledBlockTests: XCTestCase {
    func testInvariantQuadraticFormsOfS4() throws {
        let s4 = try GroupResolver().resolve("symmetric:4")
        let (forms, n) = try InvariantForms.quadratic(group: s4, x: .named("natural"), context: .named("natural"))
        XCTAssertEqual(n, 8)
        // I and J − I on each of the blocks xx, cc, and the symmetric coupling xc: 6 forms.
        XCTAssertEqual(forms.count, 6)
        let touching = forms.filter { $0.touchesX(4) }
        XCTAssertEqual(touching.count, 4)
        // Each form is symmetric.
        for f in forms {
            var m = [Double](repeating: 0, count: 64)
            for e in f.entries { m[e.row * 8 + e.column] += e.value }
            for i in 0..<8 { for j in 0..<8 { XCTAssertEqual(m[i * 8 + j], m[j * 8 + i], accuracy: 1e-12) } }
        }
    }

    /// Acceptance: the group law's error ≤ 1e-10 for every K = 1 … 64 on the out-of-distribution
    /// families, quadratic and quartic energies, shared and per-step θ.
    func testGradientFormLawErrorAgainstK() throws {
        let d4 = try GroupResolver().resolve("dihedral:4")
        for (energy, shared) in [(UnrolledGradientBlock.Energy.quadratic, true), (.quartic, false)] {
            let block = try UnrolledGradientBlock(typeName: "B", group: d4, x: "natural", context: "plane", steps: 4, energy: energy, shared: shared)
            let rows = UnrolledBlockReport.errorsAgainstK(name: "D4", gradient: block)
            XCTAssertEqual(rows.map(\.steps), [1, 2, 4, 8, 16, 32, 64])
            for r in rows { XCTAssertLessThanOrEqual(r.diagonal, 1e-10, "\(energy) K = \(r.steps)") }
        }
    }

    func testNonOrthogonalRepresentationOnXIsRefusedWithTheFix() throws {
        let spec = """
            {"name": "skewC2", "description": "C2 with a non-orthogonal representation", "order": "2",
             "generators": ["a"], "relators": ["a^2"],
             "representations": {"skew": {"matrix": {"a": [[1, 1], [0, -1]]}}, "sign": {"matrix": {"a": [[-1]]}}}}
            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("skewC2-\(UUID().uuidString).json")
        try spec.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let g = try GroupResolver().resolve(url.path)
        XCTAssertThrowsError(try UnrolledGradientBlock(typeName: "B", group: g, x: "skew", context: "sign", steps: 2, energy: .quadratic, shared: true)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("not orthogonal") && text.contains("Fix:"), text)
        }
        // A non-orthogonal context is fine: the forms come from Hom_G((x+c)^2, trivial) itself.
        let ok = try UnrolledGradientBlock(typeName: "B", group: g, x: "sign", context: "skew", steps: 2, energy: .quadratic, shared: true)
        XCTAssertLessThanOrEqual(UnrolledBlockReport.errorsAgainstK(name: "C2", gradient: ok, steps: [1, 8]).map(\.diagonal).max()!, 1e-10)
    }

    /// Acceptance (fixed-point form, quick sizes): diagonal error at machine precision for every
    /// K; [W,U] error large at K = 1 and below 1e-6 by K = 64 where the fixed point is unique;
    /// stuck at N/2 where it is not. Dihedral: the diagonal law exact, D_n × D_n reached where unique.
    func testMesaExperimentQuick() {
        let all = MesaExperiment.run(quick: true, seed: 7)
        func rows(_ prefix: String) -> [UnrolledBlockRow] { all.filter { $0.name.hasPrefix(prefix) } }
        let unique = rows("translation N=16, unique"), nonUnique = rows("translation N=16, non-unique")
        XCTAssertEqual(unique.count, 7)
        XCTAssertEqual(nonUnique.count, 7)
        for r in unique + nonUnique { XCTAssertLessThanOrEqual(r.diagonal, 1e-12, "\(r)") }
        XCTAssertGreaterThan(unique.first!.larger, 1)
        XCTAssertLessThanOrEqual(unique.last!.larger, 1e-6)
        XCTAssertEqual(nonUnique.last!.larger, 8, accuracy: 1e-6)
        let unique2D = rows("translation 6x8, unique"), nonUnique2D = rows("translation 6x8, non-unique")
        XCTAssertEqual(unique2D.count, 7)
        for r in unique2D + nonUnique2D { XCTAssertLessThanOrEqual(r.diagonal, 1e-12, "\(r)") }
        XCTAssertGreaterThan(unique2D.first!.larger, 0.5)
        XCTAssertLessThanOrEqual(unique2D.last!.larger, 1e-6)
        XCTAssertGreaterThan(nonUnique2D.last!.larger, 1)
        let dUnique = rows("dihedral D16, unique"), dNonUnique = rows("dihedral D16, non-unique")
        for r in dUnique + dNonUnique { XCTAssertEqual(r.diagonal, 0, "\(r)") }
        XCTAssertGreaterThan(dUnique.first!.larger, 0)
        XCTAssertEqual(dUnique.last!.larger, 0)
        XCTAssertGreaterThan(dNonUnique.last!.larger, 0)
    }

    func testDihedralGroupArithmetic() {
        let d = DihedralAlignment(n: 5)
        for g in 0..<10 {
            XCTAssertEqual(d.compose(g, d.inverse(g)), 0)
            for h in 0..<10 {
                let a = (0..<5).map { Double($0 * $0) }
                XCTAssertEqual(d.act(d.compose(g, h), a), d.act(g, d.act(h, a)))
            }
        }
    }

    func verify(_ source: String, name: String) throws -> [LawVerificationReport] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).swift")
        try source.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try VerificationHarness(compilerFlags: ["-warnings-as-errors"]).verify(file: url)
    }

    /// The generated file compiles warning-free, `verify` passes it, and fails a copy whose
    /// energy gains a non-invariant term. S4 on x = 2*natural puts 24 · 8² = 1,536 numbers in the
    /// x actions, so they are stored packed (a nested literal of a few hundred thousand numbers,
    /// S5 on 11*natural, took swiftc above 8 GB).
    func testGeneratedGradientBlockVerifiesAndAMutatedCopyFails() throws {
        let s4 = try GroupResolver().resolve("symmetric:4")
        let block = try UnrolledGradientBlock(typeName: "Denoiser", group: s4, x: "2*natural", context: "natural", steps: 3, energy: .quartic, shared: true)
        let header = GeneratedFileHeader(spec: "symmetric:4", command: "archsynth generate block unrolled-gradient symmetric:4 --x 2*natural --context natural --steps 3 --energy quartic --share --name Denoiser -o Denoiser.swift")
        let source = UnrolledGradientEmitter(block: block, header: header).source()
        XCTAssertTrue(source.contains("// Type: Denoiser"))
        XCTAssertTrue(source.contains("static let xActionsFlat: [Double] = GeneratedTables.bitPatterns("), "the x actions are packed")
        XCTAssertFalse(source.contains(".init(form:"), "no struct literal per entry")
        let good = try verify(source, name: "Denoiser")
        XCTAssertEqual(good.count, 1)
        XCTAssertEqual(good[0].elementCount, 24)
        XCTAssertTrue(good[0].passed, good[0].text)
        XCTAssertLessThanOrEqual(good[0].worst, 1e-10)
        let marker = "static let formEntries: [InvariantFormEnergy.Entry] = "
        XCTAssertTrue(source.contains(marker))
        let mutated = source.replacingOccurrences(of: marker, with: marker + "[InvariantFormEnergy.Entry(form: 0, row: 0, column: 0, value: 0.25)] + ")
        let bad = try verify(mutated, name: "Denoiser")
        XCTAssertFalse(bad[0].passed, bad[0].text)
    }
}
