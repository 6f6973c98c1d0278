/// The network file's header comment: command, spec, representations, one line per layer and
/// nonlinearity, and the `// Type:` line `archsynth verify` reads.
struct NetworkHeaderEmitter {
    let n: NetworkConstruct
    let header: GeneratedFileHeader

    init(_ n: NetworkConstruct, header: GeneratedFileHeader) {
        self.n = n
        self.header = header
    }

    func print(_ p: inout CodePrinter) {
        let c = SwiftIdentifier.commentText
        let network = n.network
        let dims = network.representations.map { String($0.dimension) }.joined(separator: " → ")
        p.print("""
            \(GeneratedFileHeader.opening(toolVersion: header.toolVersion, describing: "an equivariant network; imports ArchSynthRuntime (product of the archsynth package).", command: header.command))
            // Spec: \(c(header.spec)) (group \(c(network.groupName)), order \(network.groupOrder))
            // Representations: \(c(network.expressions.joined(separator: " → "))) (dimensions \(dims))
            """)
        for (i, e) in n.layerEmitters.enumerated() {
            let l = network.layers[i]
            p.print("// Layer \(i + 1): \(c(l.inputExpression)) → \(c(l.outputExpression)), \(l.basis.dimension) weights, \(l.basis.biasDimension) bias; \(e.strategy.rawValue) (\(c(e.strategyNote))); certificate \(l.basis.crossCheck.certificate)")
            if i < network.nonlinearities.count {
                p.print("// Nonlinearity after layer \(i + 1) (\(c(network.expressions[i + 1]))): \(c(network.nonlinearities[i].summary))")
            }
        }
        p.print("// Head: \(network.isInvariant ? "invariant (the last layer pools onto the trivial representation)" : "equivariant")")
        p.print("// Parameters: \(network.weightCount) weights, \(network.biasCount) bias parameters (\(network.gateCount) of them gate biases)")
        p.print("// Type: \(network.typeName)")
    }
}
