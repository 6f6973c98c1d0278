/// The nonlinearity after each hidden layer, as the runtime's `EquivariantActivation`.
struct NetworkActivationEmitter {
    let n: NetworkConstruct
    init(_ n: NetworkConstruct) { self.n = n }

    func print(_ p: inout CodePrinter) {
        let network = n.network
        p.print("// MARK: Nonlinearities")
        for (h, plan) in network.nonlinearities.enumerated() {
            var starts = [0]
            for b in plan.normBlocks { starts.append(starts[starts.count - 1] + b.count) }
            let offset = network.nonlinearities[..<h].reduce(0) { $0 + $1.gateCount }
            p.print("/// After layer \(h + 1) (\(SwiftIdentifier.commentText(plan.expression))): \(SwiftIdentifier.commentText(plan.summary)).")
            p.print("static let _activation\(h + 1) = ArchSynthRuntime.EquivariantActivation(")
            p.withIndentation { p in
                p.print("dimension: \(plan.dimension), gateOffset: \(offset),")
                p.print("reluIndex: [\(plan.reluCoordinates.map(String.init).joined(separator: ", "))],")
                p.print("tanhIndex: [\(plan.tanhCoordinates.map(String.init).joined(separator: ", "))],")
                p.print("normStart: [\(starts.map(String.init).joined(separator: ", "))],")
                p.print("normIndex: [\(plan.normBlocks.flatMap { $0 }.map(String.init).joined(separator: ", "))])")
            }
        }
    }
}
