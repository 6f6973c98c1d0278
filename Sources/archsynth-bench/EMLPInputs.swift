import ArchSynth
import Foundation
import GroupTheory

/// `archsynth-bench emlp-inputs`: the generator permutations of the cases that
/// Benchmarks/emlp/emlp_bench.py gives to EMLP, as JSON, so both tools get the
/// same groups. EMLP builds V = the permutation matrices (P[p[i], i] = 1) and solves
/// V^power >> V^power; `dimension` is what our solver finds for the same case.
enum EMLPInputs {
    struct Case {
        var id: String
        var spec: String
        var base: String
        var power: Int
    }

    static let cases = [
        Case(id: "S5-pairs", spec: "symmetric:5", base: "natural", power: 2),
        Case(id: "S10-pairs", spec: "symmetric:10", base: "natural", power: 2),
        Case(id: "S20-pairs", spec: "symmetric:20", base: "natural", power: 2),
        Case(id: "C128-regular", spec: "cyclic:128", base: "regular", power: 1),
        Case(id: "D50-regular", spec: "dihedral:50", base: "regular", power: 1),
    ]

    static func run(_ options: BenchOptions) throws -> String {
        var records: [JSONRecord] = []
        let resolver = GroupResolver()
        for c in cases where options.matches(c.id) {
            let group = try resolver.resolve(c.spec)
            guard case let .permutation(perms) = try group.representation(named: c.base).images else {
                throw BenchError.input("\(c.spec) \(c.base) is not a permutation representation")
            }
            let e = try RepresentationExpression(parsing: c.power == 1 ? c.base : "\(c.base)^\(c.power)")
            let basis = try IntertwinerSolver.solve(group: group, input: e, output: e)
            records.append(["id": c.id, "group": c.spec, "base": c.base, "power": c.power,
                            "generators": perms.map { $0.images.map(Int.init) }, "dimension": basis.dimension])
        }
        let data = try JSONSerialization.data(withJSONObject: ["cases": records], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
