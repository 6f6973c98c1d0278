/// The training losses: the `Loss` choice (softmax cross-entropy only for invariant heads),
/// one-hot targets, and `loss(output:targets:count:loss:)` per precision, computed by the
/// runtime's `Loss`.
struct NetworkLossEmitter {
    let n: NetworkConstruct
    init(_ n: NetworkConstruct) { self.n = n }

    func print(_ p: inout CodePrinter) {
        let invariant = n.network.isInvariant
        p.print("// MARK: Losses")
        p.print("/// Training losses. `softmaxCrossEntropy` (targets: class probabilities per row, e.g. one-hot) exists")
        p.print("/// only for invariant heads, where the logits are invariant and so is the loss.")
        p.block("public enum Loss: Sendable") { p in
            p.print("/// (1 / (count · outputDimension)) Σ (f(x) − t)².")
            p.print("case meanSquaredError")
            if invariant {
                p.print("/// −(1 / count) Σ_n Σ_k t_nk log softmax(f(x_n))_k.")
                p.print("case softmaxCrossEntropy")
            }
        }
        if invariant {
            p.print("""

                /// One-hot targets (count × outputDimension) from class labels in 0..<outputDimension.
                public static func oneHot(labels: [Int]) -> [Float] {
                    var t = [Float](repeating: 0, count: labels.count * outputDimension)
                    for (n, k) in labels.enumerated() {
                        precondition(k >= 0 && k < outputDimension, "label \\(k) is not in 0..<\\(outputDimension)")
                        t[n * outputDimension + k] = 1
                    }
                    return t
                }
                """)
        }
        for s in ScalarType.all {
            let S = s.name
            p.print()
            p.print("/// The loss of outputs `output` against `targets` (both count × outputDimension) and ∂L/∂output.")
            p.block("public static func loss(output y: [\(S)], targets t: [\(S)], count: Int, loss: Loss) -> (value: \(S), gradient: [\(S)])") { p in
                p.print("precondition(y.count == count * outputDimension && t.count == y.count, \"output and targets must hold count × \\(outputDimension) values\")")
                if invariant {
                    p.block("switch loss") { p in
                        p.print("case .meanSquaredError: return ArchSynthRuntime.Loss.meanSquaredError(batch: y, targets: t, count: count)")
                        p.print("case .softmaxCrossEntropy: return ArchSynthRuntime.Loss.softmaxCrossEntropy(batch: y, targets: t, count: count, classes: outputDimension)")
                    }
                } else {
                    p.print("return ArchSynthRuntime.Loss.meanSquaredError(batch: y, targets: t, count: count)")
                }
            }
        }
    }
}
