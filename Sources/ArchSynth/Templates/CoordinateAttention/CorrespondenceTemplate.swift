import ArchSynthRuntime
import Foundation
import GroupTheory

/// The G₁ × G₂ form of coordinate attention as one generated file: two inputs whose points
/// carry permutation actions of G₁ and G₂ (REP1, REP2: permutation representations), per-point
/// features from equivariant layers solved by the intertwiner solver (Hom(ρ, ρ) solved once per
/// side, repeated over channel pairs), ReLU between layers, and the soft correspondence
/// P = softmax(F^B F^Aᵀ/τ) (`SoftCorrespondence`), with the law
/// P[g₁·A, g₂·B] = ρ₂(g₂) P ρ₁(g₁)⁻¹ checked over all of G₁ × G₂.
///
/// The solved basis blocks and every group element's point permutation are baked into the file
/// as literal arrays (the law's elements), so the file needs only the runtime module.
public struct CorrespondenceTemplate: Sendable {
    public let typeName: String
    public let specs: (String, String)
    public let representations: (String, String)
    public let channels: Int
    public let depth: Int
    public let temperature: Double
    /// Points of A and of B.
    public let sizes: (Int, Int)
    /// Every element of G₁ (resp. G₂) as a point permutation (i ↦ π[i]).
    let elements: ([[Int]], [[Int]])
    /// Hom(ρ_k, ρ_k): entries (row, column, basis index, value), and the basis count.
    let blocks: ([(Int, Int, Int, Double)], [(Int, Int, Int, Double)])
    let basisCounts: (Int, Int)
    let biasBlocks: ([(Int, Int, Double)], [(Int, Int, Double)])
    let biasCounts: (Int, Int)

    public static let maxElements = 5040

    /// Every point permutation the `generators` generate on `degree` points, as image lists,
    /// the identity first (closure by breadth-first search); nil when there are more than
    /// `maxElements`.
    /// - Complexity: O(|G| · generators · degree).
    static func pointPermutations(generatedBy generators: [Permutation], degree m: Int) -> [[Int]]? {
        let images = generators.map { p in (0..<m).map { Int(p.images[$0]) } }
        var seen: Set<[Int]> = [Array(0..<m)], list = [Array(0..<m)], k = 0
        while k < list.count {
            for s in images {
                let q = list[k].map { s[$0] }
                if seen.insert(q).inserted {
                    list.append(q)
                    guard list.count <= maxElements else { return nil }
                }
            }
            k += 1
        }
        return list
    }

    public init(
        typeName: String, groups: (FiniteGroup, FiniteGroup), specs: (String, String), representations: (String, String), channels: Int,
        depth: Int, temperature: Double = 1, limits: GenerationLimits = GenerationLimits()
    ) throws {
        do { try SwiftIdentifier.validateTypeName(typeName) } catch { throw TemplateArgumentError(description: "\(error)") }
        guard channels >= 1 && channels <= 64, depth >= 1 && depth <= 16 else {
            throw TemplateArgumentError(description: "--channels must be 1 … 64 and --depth 1 … 16")
        }
        let range = CoordinateAttentionTemplate.temperatureRange
        guard range.contains(temperature) else {
            throw TemplateArgumentError(description: "--temperature must be between \(range.lowerBound) and \(range.upperBound), not \(temperature) (the features are divided by it: a smaller one overflows the softmax)")
        }
        // Sizes first, from the group orders and the expressions' dimensions (nothing is built):
        // each side bakes in every element's m-point image (at most |G|·m numbers) and Hom(ρ, ρ),
        // whose orbital basis of a permutation representation has m² entries of four numbers.
        var constants = 0
        for (g, text) in [(groups.0, representations.0), (groups.1, representations.1)] {
            let m = try g.dimension(of: try RepresentationExpression(parsing: text)).intValue ?? Int.max
            let order = g.order.intValue ?? Int.max
            guard order <= Self.maxElements else {
                throw TemplateBuildError(description: "\(g.name) has order \(g.order), above the \(Self.maxElements) elements the law is checked on completely; use a smaller group")
            }
            constants = GenerationLimits.sum(constants, GenerationLimits.product(order, m), GenerationLimits.product(4, m, m))
        }
        try limits.check(constants: constants, what: "the correspondence template")
        self.typeName = typeName
        self.specs = specs
        self.representations = representations
        self.channels = channels
        self.depth = depth
        self.temperature = temperature
        func side(_ g: FiniteGroup, _ text: String) throws -> (Int, [[Int]], [(Int, Int, Int, Double)], Int, [(Int, Int, Double)], Int) {
            let expression = try RepresentationExpression(parsing: text)
            let rep = try g.representation(for: expression)
            guard case let .permutation(generators) = rep.images else {
                throw TemplateBuildError(description: "\(text) is not a permutation representation of \(g.name); the G₁ × G₂ form needs point permutations")
            }
            let m = rep.dimension
            guard let list = Self.pointPermutations(generatedBy: generators, degree: m) else {
                throw TemplateBuildError(description: "\(g.name) acts on \(text) by more than \(Self.maxElements) permutations; the law would not be checked completely")
            }
            let basis = try IntertwinerSolver.solve(group: g, input: expression, output: expression)
            var block: [(Int, Int, Int, Double)] = []
            for (b, e) in basis.elements.enumerated() { for x in e.entries { block.append((x.row, x.column, b, x.value)) } }
            var bias: [(Int, Int, Double)] = []
            for (b, e) in basis.biasElements.enumerated() { for x in e.entries { bias.append((x.row, b, x.value)) } }
            return (m, list, block, basis.dimension, bias, basis.biasDimension)
        }
        let a = try side(groups.0, representations.0), b = try side(groups.1, representations.1)
        sizes = (a.0, b.0)
        elements = (a.1, b.1)
        blocks = (a.2, b.2)
        basisCounts = (a.3, b.3)
        biasBlocks = (a.4, b.4)
        biasCounts = (a.5, b.5)
    }

    public var lawElementCount: Int { elements.0.count * elements.1.count }

    /// Weights and biases of both feature networks.
    public var parameterCount: Int {
        func net(_ k: Int, _ kb: Int) -> Int {
            (0..<depth).reduce(0) { $0 + ($1 == 0 ? 1 : channels) * channels * k + channels * kb }
        }
        return net(basisCounts.0, biasCounts.0) + net(basisCounts.1, biasCounts.1)
    }

    public func source(toolVersion: String = ArchSynthVersion.current, command: String) -> String {
        let c = SwiftIdentifier.commentText
        var p = CodePrinter()
        let (ma, mb) = sizes
        p.print("""
            \(GeneratedFileHeader.opening(toolVersion: toolVersion, describing: "the G₁ × G₂ soft-correspondence template (coordinate attention on point sets), on the ArchSynthRuntime module.", command: command))
            \(ExpectedLaws.headerLine(kind: "coordinate-attention-correspondence", [("specs", .array([.string(GeneratedFileHeader.withoutAbsolutePath(specs.0)), .string(GeneratedFileHeader.withoutAbsolutePath(specs.1))])), ("representations", .array([.string(representations.0), .string(representations.1)]))]))
            // A: \(c(specs.0)) on \(c(representations.0)) (\(ma) points, \(elements.0.count) elements); B: \(c(specs.1)) on \(c(representations.1)) (\(mb) points, \(elements.1.count) elements)
            // Features: \(depth) solver-built equivariant layers per side (\(channels) channels, ReLU between); temperature \(temperature)
            // Law: P[g₁·A, g₂·B] = ρ₂(g₂) P ρ₁(g₁)⁻¹ over all \(lawElementCount) pairs (g₁, g₂)
            // Type: \(typeName)
            import ArchSynthRuntime

            /// (A, B) ↦ P = softmax(F^B F^Aᵀ/τ), \(mb) × \(ma) row-major (row j: a distribution over A's points
            /// for point j of B). A has \(ma) values (one per point), B has \(mb).
            public struct \(typeName): LawfulModel {
            """)
        p.withIndentation { p in
            p.print("""
                public static let kind = "coordinate-attention-correspondence"
                public static let inputSizes = [\(ma), \(mb)]
                public static let outputSize = \(ma * mb)
                """)
            // Flat columns (packed when large), zipped into tuples at first use: swiftc's time and
            // memory grow faster than linearly in tuple and nested-array literals.
            func side(_ name: String, _ block: [(Int, Int, Int, Double)], _ bias: [(Int, Int, Double)], _ elems: [[Int]], points m: Int) {
                p.print("/// Hom(ρ, ρ) for \(name): (row, column, basis index, value); fixed vectors: (row, basis index, value).")
                p.printIntegers("static let block\(name)Rows", type: "Int", block.map(\.0))
                p.printIntegers("static let block\(name)Columns", type: "Int", block.map(\.1))
                p.printIntegers("static let block\(name)Indices", type: "Int", block.map(\.2))
                p.printReals("static let block\(name)Values", block.map(\.3), perLine: 16)
                p.print("static let block\(name) = block\(name)Values.indices.map { (block\(name)Rows[$0], block\(name)Columns[$0], block\(name)Indices[$0], block\(name)Values[$0]) }")
                p.printIntegers("static let bias\(name)Rows", type: "Int", bias.map(\.0))
                p.printIntegers("static let bias\(name)Indices", type: "Int", bias.map(\.1))
                p.printReals("static let bias\(name)Values", bias.map(\.2), perLine: 16)
                p.print("static let bias\(name) = bias\(name)Values.indices.map { (bias\(name)Rows[$0], bias\(name)Indices[$0], bias\(name)Values[$0]) }")
                p.print("/// Every group element as a point permutation (i ↦ π[i]), one after another.")
                p.printIntegers("static let elements\(name)Flat", type: "Int", elems.flatMap { $0 })
                p.print("static let elements\(name): [[Int]] = stride(from: 0, to: elements\(name)Flat.count, by: \(m)).map { Array(elements\(name)Flat[$0..<($0 + \(m))]) }")
            }
            side("A", blocks.0, biasBlocks.0, elements.0, points: ma)
            side("B", blocks.1, biasBlocks.1, elements.1, points: mb)
            p.print("""

                public static let graph: Graph = {
                    var b = GraphBuilder(inputSizes: inputSizes)
                    func features(_ x: Graph.Value, points m: Int, basisCount k: Int, block: [(Int, Int, Int, Double)], biasCount kb: Int, bias: [(Int, Int, Double)]) -> Graph.Value {
                        var v = x
                        for l in 0..<\(depth) {
                            let layer = PointFeatureLayers.layer(
                                points: m, inputChannels: l == 0 ? 1 : \(channels), outputChannels: \(channels), basisCount: k, block: block, biasCount: kb, biasBlock: bias)
                            v = b.apply(layer, [v])
                            if l < \(depth - 1) { v = b.apply(Pointwise.relu(size: layer.outputSize), [v]) }
                        }
                        return v
                    }
                    let featuresA = features(b.inputs[0], points: \(ma), basisCount: \(basisCounts.0), block: blockA, biasCount: \(biasCounts.0), bias: biasA)
                    let featuresB = features(b.inputs[1], points: \(mb), basisCount: \(basisCounts.1), block: blockB, biasCount: \(biasCounts.1), bias: biasB)
                    let correspondence = b.apply(SoftCorrespondence(pointsA: \(ma), pointsB: \(mb), channels: \(channels), temperature: \(temperature)), [featuresA, featuresB])
                    return b.build(output: correspondence)
                }()

                public static var parameterCount: Int { graph.parameterCount }
                public static var laws: [(law: Law, threshold: Double)] {
                    [(SoftCorrespondence.law(elementsA: elementsA, elementsB: elementsB), 1e-12)]
                }

                public var parameters: [Double]

                public init(seed: UInt64) { parameters = PointFeatureLayers.initialParameters(Self.graph, seed: seed) }

                public func forward(_ inputs: [[Double]]) -> [Double] { Self.graph.forward(parameters, inputs) }

                public func backward(_ inputs: [[Double]], outputGradient: [Double]) -> NodeGradient<Double> {
                    Self.graph.backward(parameters, inputs, outputGradient: outputGradient)
                }

                \(GeneratedModelAPI.templateTrainStep("Self.graph", lossDoc: ["One Adam step on the mean squared error between P and `targets`; returns the loss."]))

                /// max over all (g₁, g₂) of |P[g₁·A, g₂·B] − ρ₂(g₂) P ρ₁(g₁)⁻¹|.
                public func equivarianceError(_ a: [Double], _ b: [Double]) -> Double {
                    Self.laws[0].law.worstError(at: [a, b]) { forward($0) }.error
                }
                """)
        }
        p.print("}")
        return p.content
    }
}
