/// The nonlinearity after each hidden layer, as the runtime's `EquivariantActivation`.
struct NetworkActivationEmitter {
    let n: NetworkConstruct
    init(_ n: NetworkConstruct) { self.n = n }

    func print(_ p: inout CodePrinter) {
        let network = n.network
        p.print("/// The nonlinearity after each hidden layer.")
        if network.nonlinearities.isEmpty { p.print("public static let _activations: [EquivariantActivation] = []"); return }
        p.print("public static let _activations: [EquivariantActivation] = [")
        p.withIndentation { p in
            for (h, plan) in network.nonlinearities.enumerated() {
                var starts = [0]
                for b in plan.normBlocks { starts.append(starts[starts.count - 1] + b.count) }
                let offset = network.nonlinearities[..<h].reduce(0) { $0 + $1.gateCount }
                p.print("// After layer \(h + 1) (\(SwiftIdentifier.commentText(plan.expression))): \(SwiftIdentifier.commentText(plan.summary)).")
                p.print("EquivariantActivation(dimension: \(plan.dimension), gateOffset: \(offset), reluIndex: \(Self.indexList(plan.reluCoordinates)), tanhIndex: \(Self.indexList(plan.tanhCoordinates)),")
                p.print("                      normStart: \(Self.indexList(starts)), normIndex: \(Self.indexList(plan.normBlocks.flatMap { $0 }))),")
            }
        }
        p.print("]")
    }

    static func indexList(_ values: [Int]) -> String {
        if values.count > 16, let first = values.first,
           values.indices.allSatisfy({ values[$0] == first + $0 })
        {
            return "Array(\(first)..<\(first + values.count))"
        }
        return "[\(values.map(String.init).joined(separator: ", "))]"
    }
}
