/// The public API every generated layer and network declares, defined once. A generated file
/// declares only its static metadata and generator actions (what `archsynth verify` reads) and
/// conforms to a runtime protocol that supplies the rest — the initializers, θ and β, forward and
/// backward on one input and on a batch in Float and Double, `equivarianceError`, and for
/// networks the losses and `trainStep`: `GeneratedLayer`/`GeneratedPanelLayer` and
/// `GeneratedNetwork` in ArchSynthRuntime, each refining `GeneratedEquivariantModel`.
enum GeneratedModelAPI {
    /// A network's conformances. `GeneratedEquivariantModel` is named as well so the compiler's
    /// symbol graph, which the verify harness reads, lists the conformance it checks.
    static let networkConformances = "GeneratedNetwork, GeneratedEquivariantModel"
    /// A layer's: the runtime protocol that supplies its API (`GeneratedLayer` or
    /// `GeneratedPanelLayer`), and `GeneratedEquivariantModel` for the same reason.
    static func conformances(_ layerProtocol: String) -> String { "\(layerProtocol), GeneratedEquivariantModel" }

    /// The group's identity: name, order and generator names.
    static func identity(groupName: String, groupOrder: String, generatorNames: [String]) -> String {
        let lit = SwiftIdentifier.stringLiteral
        return """
            public static let groupName = \(lit(groupName))
            /// |G| as a decimal string (exact for any size).
            public static let groupOrder = \(lit(groupOrder))
            public static let generatorNames: [String] = [\(generatorNames.map(lit).joined(separator: ", "))]
            """
    }
}
