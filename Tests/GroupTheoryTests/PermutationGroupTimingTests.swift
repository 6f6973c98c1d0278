import Foundation
import GroupTheory
import XCTest

/// Opt-in timings of Schreier–Sims (not a timed test: it asserts only the orders).
/// Run with `ARCHSYNTH_BENCH=1 swift test -c release --filter PermutationGroupTimingTests`.
/// The inputs are those of Benchmarks/schreier-sims/gap_bench.g.
final class PermutationGroupTimingTests: XCTestCase {
    func testTimings() throws {
        guard ProcessInfo.processInfo.environment["ARCHSYNTH_BENCH"] != nil else {
            throw XCTSkip("set ARCHSYNTH_BENCH=1 to run the Schreier–Sims timings")
        }
        let rubik3 = try Self.images("rubik3", degree: 48)
        let m24 = try ["(0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22)",
                       "(2,16,9,6,8)(3,12,13,18,4)(7,17,10,11,22)(14,19,21,20,15)",
                       "(0,23)(1,22)(2,11)(3,15)(4,17)(5,9)(6,19)(7,13)(8,20)(10,16)(12,21)(14,18)"]
            .map { try Permutation(cycles: $0, degree: 24) }
        func symmetric(_ n: Int) throws -> [Permutation] {
            [try Permutation(cycles: "(0,1)", degree: n),
             try Permutation(cycles: "(" + (0..<n).map(String.init).joined(separator: ",") + ")", degree: n)]
        }
        func hyperoctahedral(_ n: Int) throws -> [Permutation] {
            let a = (0..<n).map(String.init).joined(separator: ","), b = (n..<2 * n).map(String.init).joined(separator: ",")
            return [try Permutation(cycles: "(0,\(n))", degree: 2 * n),
                    try Permutation(cycles: "(0,1)(\(n),\(n + 1))", degree: 2 * n),
                    try Permutation(cycles: "(\(a))(\(b))", degree: 2 * n)]
        }
        /// S_n × S_n on 2n points (intransitive, so not recognized as a giant).
        func symmetricSquared(_ n: Int) throws -> [Permutation] {
            let b = (n..<2 * n).map(String.init).joined(separator: ",")
            return try symmetric(n).map { Permutation(images: $0.images + (Int32(n)..<Int32(2 * n)).map { $0 }) }
                + [try Permutation(cycles: "(\(n),\(n + 1))", degree: 2 * n), try Permutation(cycles: "(\(b))", degree: 2 * n)]
        }
        let cases: [(String, [Permutation], Int, String)] = [
            ("rubik3", rubik3, 48, "43252003274489856000"),
            ("M24", m24, 24, "244823040"),
            ("S_50", try symmetric(50), 50, BigUInt.factorial(50).description),
            ("S_100", try symmetric(100), 100, BigUInt.factorial(100).description),
            ("S_200", try symmetric(200), 200, BigUInt.factorial(200).description),
            ("B_30 on 60 points", try hyperoctahedral(30), 60, (BigUInt.power(2, 30) * BigUInt.factorial(30)).description),
            ("S_40 x S_40 on 80 points", try symmetricSquared(40), 80,
             (BigUInt.factorial(40) * BigUInt.factorial(40)).description),
        ]
        for (name, gens, n, order) in cases {
            var variants: [(String, () -> PermutationGroup)] = [
                ("init", { PermutationGroup(generators: gens, degree: n) }),
            ]
            if !name.hasPrefix("S_1"), !name.hasPrefix("S_2") {  // all variants except for S_100, S_200
                variants.append(("randomized", { PermutationGroup.randomized(generators: gens, degree: n) }))
                variants.append(("deterministic", { PermutationGroup.deterministic(generators: gens, degree: n) }))
            }
            for (label, build) in variants {
                var times: [Duration] = []
                for _ in 0..<3 {
                    let clock = ContinuousClock()
                    var group: PermutationGroup?
                    times.append(clock.measure { group = build() })
                    XCTAssertEqual(group?.order.description, order, "\(name) \(label)")
                }
                let best = times.min()!
                print("schreier-sims \(name) \(label): best of 3 \(best)")
            }
        }
    }

    static func images(_ name: String, degree: Int) throws -> [Permutation] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("catalogs/\(name).json"), encoding: .utf8)
        var result: [Permutation] = []
        for line in text.split(separator: "\n") where line.contains(": [") && !line.contains("\"generators\"") {
            let inner = line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
            result.append(try Permutation(validating: inner.split(separator: ",").map {
                Int($0.trimmingCharacters(in: .whitespaces))!
            }))
        }
        XCTAssertTrue(result.allSatisfy { $0.degree == degree })
        return result
    }
}
