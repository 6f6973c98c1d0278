import ArchSynthRuntime
import Foundation
import GroupTheory

extension PyTorchVerifier {
    /// What an emitted module is checked against: the law (built for the verifier's options), the
    /// generators and dimensions the module must declare, and the subject named in reports. Always
    /// from archsynth (the spec), never from the module.
    ///
    /// ```swift
    /// let check = try PyTorchVerifier.Check.lattice(lattice: CrystallographicLattice(origin: "wallpaper:p4m:64x64")!,
    ///                                              input: "field(trivial)", output: "8*field(regular)")
    /// let reports = try PyTorchVerifier().verify(checks: [(url, check)])
    /// ```
    public struct Check {
        /// What the law was built from, for reports (`SPEC --in EXPR --out EXPR`).
        public let subject: String
        /// The generators the module must declare (`generator_names`), translations first for a lattice.
        public let generatorNames: [String]
        /// d_in and d_out the module must declare.
        public let inputDimension: Int
        public let outputDimension: Int
        /// The law for the given options (`maxElements`, `randomWords`, `seed`).
        let law: (VerificationOptions) -> Law
        /// What a lower `--max-elements` checks instead, for the error when a check is too large.
        var sampleNote = "a random sample of the group's elements where the spec can be built with that limit"

        /// The spec's generator actions: every element the actions generate up to `maxElements`
        /// (breadth-first closure), else every generator and random words (`Law.generated`).
        public init(actions a: SpecActions) {
            subject = a.subject
            generatorNames = a.generatorNames
            inputDimension = a.inputDimension
            outputDimension = a.outputDimension
            let actions = GeneratorActions(names: a.generatorNames, inputDimension: a.inputDimension, input: a.inputTriples, outputDimension: a.outputDimension, output: a.outputTriples)
            law = { options in
                Law.generated(
                    name: "linear", generatorCount: a.generatorNames.count, inputSizes: [a.inputDimension], outputSize: a.outputDimension,
                    actOnInputs: { g, x in [actions.input[g].apply(x[0])] }, actOnOutput: { g, y in actions.output[g].apply(y) },
                    limit: options.maxElements, randomWords: options.randomWords, seed: options.seed)
            }
        }

        /// A lattice layer from `c_in*field(ρ_in)` to `c_out*field(ρ_out)` on a wallpaper or space
        /// group: `Law.lattice` over the field types built from the spec (grid, point matrices, ρ of
        /// each point generator), every translation × point element when points · |P| ≤
        /// `maxElements`, else every point element with the zero, unit and random translations. No
        /// group and no |G|-dimensional representation is built, so a 64×64 p4m layer (32,768
        /// elements) is checked as cheaply as an 8×8 one with the same `maxElements`.
        /// - Throws: a parse error for a malformed expression, `SolverError` when one is not
        ///   `c*field(ρ)` with ρ a point-group representation.
        public static func lattice(lattice: CrystallographicLattice, input inputText: String, output outputText: String) throws -> Check {
            let input = try RepresentationExpression(parsing: inputText), output = try RepresentationExpression(parsing: outputText)
            let group = try LatticeConvolution.pointGroupCarrier(lattice)
            func fields(_ e: RepresentationExpression, _ side: String) throws -> LatticeFieldType {
                let (c, rho) = try LatticeConvolution.pointField(group: group, lattice: lattice, e, side: side)
                return LatticeFieldType(
                    sides: lattice.sides, channels: c, fieldDimension: rho.dimension, pointGenerators: lattice.pointGenerators.map(\.matrix),
                    generatorImages: lattice.pointGenerators.isEmpty ? [] : rho.realImages.map(\.elements))
            }
            let fIn = try fields(input, "input"), fOut = try fields(output, "output")
            let grid = lattice.sides.map(String.init).joined(separator: "x")
            var check = Check(
                subject: "\(lattice.kind):\(lattice.pointGroup):\(grid) --in \(inputText) --out \(outputText)",
                generatorNames: group.generators, inputDimension: fIn.dimension, outputDimension: fOut.dimension,
                law: { options in Law.lattice(input: fIn, output: fOut, limit: options.maxElements, seed: options.seed) })
            check.sampleNote = "every point element with the zero, unit and random translations, about max-elements in all (\(lattice.pointOrder) point elements per translation)"
            return check
        }

        init(subject: String, generatorNames: [String], inputDimension: Int, outputDimension: Int, law: @escaping (VerificationOptions) -> Law) {
            self.subject = subject
            self.generatorNames = generatorNames
            self.inputDimension = inputDimension
            self.outputDimension = outputDimension
            self.law = law
        }
    }

    /// True when a module's text declares a lattice convolution (`PyTorchLatticeLayerEmitter`).
    public static func isLatticeModule(_ text: String) -> Bool {
        text.contains("\n    forward_strategy = \"lattice-convolution\"\n")
    }
}
