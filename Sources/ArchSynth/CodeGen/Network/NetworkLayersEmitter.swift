/// The network's layers and the requirements of the runtime's `GeneratedNetwork` that name them
/// in order: the stored layers and gates, building them from `GeneratedNetworkParameters`, their
/// parameters, and each layer's forward and backward pass (a `switch` on the layer index). The
/// runtime does the rest: parameter slicing, both precisions, losses and `trainStep`.
struct NetworkLayersEmitter {
    let n: NetworkConstruct
    init(_ n: NetworkConstruct) { self.n = n }

    func print(_ p: inout CodePrinter) {
        let layers = (1...n.layerCount).map { "layer\($0)" }
        let types = (1...n.layerCount).map { "Layer\($0)" }
        p.print(GeneratedModelAPI.storedLayers(
            names: layers, types: types, builds: zip(layers, types).map { "\($0) = p.next(\($1).self)" }, separator: "; "))
        p.block("func _layerForward<S: GeneratedScalar>(_ i: Int, _ x: [S], _ count: Int) -> [S]") { p in
            p.print("switch i { \(cases(layers) { "\($0)._forward(x, count)" }) }")
        }
        p.block("func _layerBackward<S: GeneratedScalar>(_ i: Int, _ x: [S], _ dy: [S], _ count: Int) -> (weights: [S], bias: [S], input: [S])") { p in
            p.print("switch i { \(cases(layers) { "\($0)._backward(x, dy, count)" }) }")
        }
        p.print("""
            // Each precision's passes, specialized in this file.
            public func _layer(_ i: Int, forward x: [Float], count: Int) -> [Float] { _layerForward(i, x, count) }
            public func _layer(_ i: Int, forward x: [Double], count: Int) -> [Double] { _layerForward(i, x, count) }
            public func _layer(_ i: Int, backward x: [Float], _ dy: [Float], count: Int) -> (weights: [Float], bias: [Float], input: [Float]) { _layerBackward(i, x, dy, count) }
            public func _layer(_ i: Int, backward x: [Double], _ dy: [Double], count: Int) -> (weights: [Double], bias: [Double], input: [Double]) { _layerBackward(i, x, dy, count) }
            """)
    }

    /// `case 0: …; case 1: …; default: …` (the last layer is the default).
    private func cases(_ layers: [String], _ body: (String) -> String) -> String {
        layers.enumerated().map { i, l in (i == layers.count - 1 ? "default" : "case \(i)") + ": " + body(l) }.joined(separator: "; ")
    }
}
