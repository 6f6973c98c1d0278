import ArchSynth
import Foundation
import GroupTheory

/// `archsynth-bench groups`: Schreier–Sims on the inputs of
/// Benchmarks/schreier-sims/gap_bench.g and Todd–Coxeter on every line of
/// Benchmarks/coset-enumeration/presentations.txt (the inputs of its gap_bench.g).
enum GroupsBenchmark {
    struct SchreierSimsCase {
        var name: String
        var generators: [Permutation]
        var degree: Int
        var order: BigUInt
        /// Also time `randomized` and `deterministic` (not for S_100, S_200: the giant
        /// test is the point there, and plain Schreier–Sims is needlessly slow).
        var allVariants: Bool
    }

    static func run(_ options: BenchOptions) throws -> (tables: [MarkdownTable], records: [JSONRecord]) {
        var records: [JSONRecord] = []
        var tables: [MarkdownTable] = []
        if options.wants("schreier-sims") {
            let (table, r) = try schreierSims(options)
            tables.append(table)
            records += r
        }
        if options.wants("todd-coxeter") {
            let (table, r) = try toddCoxeter(options)
            tables.append(table)
            records += r
        }
        return (tables, records)
    }

    // MARK: Schreier–Sims

    static func schreierSimsCases() throws -> [SchreierSimsCase] {
        let resolver = GroupResolver()
        func permutations(_ spec: String, _ rep: String) throws -> [Permutation] {
            guard case let .permutation(p) = try resolver.resolve(spec).representation(named: rep).images else {
                throw BenchError.input("\(spec) \(rep) is not a permutation representation")
            }
            return p
        }
        func cycle(_ points: Range<Int>) -> String { "(" + points.map(String.init).joined(separator: ",") + ")" }
        func symmetric(_ n: Int) throws -> [Permutation] {
            [try Permutation(cycles: "(0,1)", degree: n), try Permutation(cycles: cycle(0..<n), degree: n)]
        }
        // Signed permutations of R^n as permutations of 2n points: point i + n is −e_i.
        func hyperoctahedral(_ n: Int) throws -> [Permutation] {
            [try Permutation(cycles: "(0,\(n))", degree: 2 * n),
             try Permutation(cycles: "(0,1)(\(n),\(n + 1))", degree: 2 * n),
             try Permutation(cycles: cycle(0..<n) + cycle(n..<2 * n), degree: 2 * n)]
        }
        // S_n × S_n on 2n points (intransitive, so not recognized as a giant).
        func symmetricSquared(_ n: Int) throws -> [Permutation] {
            [try Permutation(cycles: "(0,1)", degree: 2 * n), try Permutation(cycles: cycle(0..<n), degree: 2 * n),
             try Permutation(cycles: "(\(n),\(n + 1))", degree: 2 * n), try Permutation(cycles: cycle(n..<2 * n), degree: 2 * n)]
        }
        return [
            SchreierSimsCase(name: "rubik3", generators: try permutations("rubik3", "facelets"), degree: 48,
                             order: BigUInt(decimal: "43252003274489856000")!, allVariants: true),
            SchreierSimsCase(name: "M24", generators: try permutations("M24", "points"), degree: 24,
                             order: BigUInt(244_823_040), allVariants: true),
            SchreierSimsCase(name: "S_50", generators: try symmetric(50), degree: 50, order: .factorial(50), allVariants: true),
            SchreierSimsCase(name: "S_100", generators: try symmetric(100), degree: 100, order: .factorial(100), allVariants: false),
            SchreierSimsCase(name: "S_200", generators: try symmetric(200), degree: 200, order: .factorial(200), allVariants: false),
            SchreierSimsCase(name: "B_30 on 60 points", generators: try hyperoctahedral(30), degree: 60,
                             order: BigUInt.power(2, 30) * BigUInt.factorial(30), allVariants: true),
            SchreierSimsCase(name: "S_40 x S_40 on 80 points", generators: try symmetricSquared(40), degree: 80,
                             order: BigUInt.factorial(40) * BigUInt.factorial(40), allVariants: true),
        ]
    }

    static func schreierSims(_ options: BenchOptions) throws -> (MarkdownTable, [JSONRecord]) {
        var table = MarkdownTable(
            title: "Schreier–Sims (best of \(options.runs), CPU ms)",
            header: ["input", "degree", "order", "init (default)", "randomized", "deterministic"])
        table.notes = [
            "`init` is `PermutationGroup(generators:degree:)`: Jordan's giant test (S_n, A_n known in advance), else randomized Schreier–Sims with a verification.",
        ]
        var records: [JSONRecord] = []
        for c in try schreierSimsCases() where options.matches(c.name) {
            var variants: [(String, () -> PermutationGroup)] = [
                ("init", { PermutationGroup(generators: c.generators, degree: c.degree) }),
            ]
            if c.allVariants {
                variants.append(("randomized", { PermutationGroup.randomized(generators: c.generators, degree: c.degree) }))
                variants.append(("deterministic", { PermutationGroup.deterministic(generators: c.generators, degree: c.degree) }))
            }
            var cells: [String: String] = [:]
            for (label, build) in variants {
                var order = BigUInt(0)
                let t = Timing.measure(runs: options.runs) { order = build().order }
                guard order == c.order else {
                    throw BenchError.wrongResult("\(c.name) \(label): order \(order), expected \(c.order)")
                }
                cells[label] = formatMilliseconds(t.cpu)
                records.append(["benchmark": "schreier-sims", "case": c.name, "variant": label,
                                "cpuSeconds": t.cpu, "wallSeconds": t.wall, "runs": t.runs,
                                "order": order.description])
                standardError("schreier-sims \(c.name) \(label): \(formatMilliseconds(t.cpu)) ms CPU")
            }
            let digits = c.order.description
            table.append([c.name, "\(c.degree)", digits.count > 22 ? "\(digits.prefix(6))… (\(digits.count) digits)" : digits,
                          cells["init"] ?? "—", cells["randomized"] ?? "—", cells["deterministic"] ?? "—"])
        }
        return (table, records)
    }

    // MARK: Todd–Coxeter

    struct PresentationCase {
        var name: String
        var presentation: Presentation
        var order: Int
    }

    /// Lines `name; generators; relators; expected order`, `#` comments.
    static func presentationCases(path: String) throws -> [PresentationCase] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchError.input("cannot read \(path) (run from the package root or pass --presentations PATH)")
        }
        var cases: [PresentationCase] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ";", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 4, let order = Int(fields[3]) else {
                throw BenchError.input("\(path):\(number + 1): expected `name; generators; relators; order`")
            }
            let list = { (s: String) in s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            do {
                let p = try Presentation(generators: list(fields[1]), relatorTexts: list(fields[2]))
                cases.append(PresentationCase(name: fields[0], presentation: p, order: order))
            } catch {
                throw BenchError.input("\(path):\(number + 1): \(error)")
            }
        }
        return cases
    }

    static func toddCoxeter(_ options: BenchOptions) throws -> (MarkdownTable, [JSONRecord]) {
        var table = MarkdownTable(
            title: "Todd–Coxeter over the trivial subgroup (best of \(options.runs), CPU ms)",
            header: ["presentation", "order", "cosets found", "time (ms)"])
        table.notes = ["Default `EnumerationOptions` (strategy `.automatic`: Felsch for short relators, HLT otherwise)."]
        var records: [JSONRecord] = []
        for c in try presentationCases(path: options.presentationsPath) where options.matches(c.name) {
            var count = 0
            do {
                let t = try Timing.measure(runs: options.runs) {
                    count = try ToddCoxeter.enumerate(c.presentation).cosetCount
                }
                guard count == c.order else {
                    throw BenchError.wrongResult("\(c.name): \(count) cosets, expected \(c.order)")
                }
                table.append([c.name, "\(c.order)", "\(count)", formatMilliseconds(t.cpu)])
                records.append(["benchmark": "todd-coxeter", "case": c.name, "cpuSeconds": t.cpu,
                                "wallSeconds": t.wall, "runs": t.runs, "cosets": count])
                standardError("todd-coxeter \(c.name): \(formatMilliseconds(t.cpu)) ms CPU")
            } catch let error as EnumerationError {
                table.append([c.name, "\(c.order)", "failed", "\(error)"])
                records.append(["benchmark": "todd-coxeter", "case": c.name, "error": "\(error)"])
            }
        }
        return (table, records)
    }
}
