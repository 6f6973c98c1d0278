import ArchSynth
import Foundation
import GroupTheory

/// `archsynth generate layer wallpaper:p4m:64x64 --in 'field(trivial)' --out '8*field(regular)'
/// --support 3 --name TYPE -o FILE [--verify]`: a steerable lattice convolution (issue 21), taken
/// by `generate layer` when the group is a wallpaper or space group and `--support` is given.
/// The kernel basis is solved on the point group alone (`LatticeConvolution`); nothing of size
/// |G| is built, and the group on the grid is not built either (its point-group representations
/// come from the family on the smallest grid, `LatticeConvolution.pointGroupCarrier`). `--verify` compiles the file and checks it over every translation × point
/// element (`LatticeVerification`) before anything is written. `--timing` prints, on stderr, the
/// seconds from the parsed spec to the solved stencil basis (`basis_solve_s`: the point group, its
/// field representations and the intertwiner solve, in this process) and to the written file
/// (`total_s`), for comparing construction times without the process start (BENCHMARKS.md).
enum GenerateLatticeCommand {
    /// The stencil basis of `pair` on `lattice` (both targets' layers); a solver refusal is a usage error.
    static func solve(
        lattice: CrystallographicLattice, pair: RepresentationPair, support: Int, options: SolverOptions, maxDimension: Int
    ) throws -> (LatticeConvolution, input: RepresentationExpression, output: RepresentationExpression) {
        let (input, output) = try pair.parsed()
        do {
            return (try LatticeConvolution(lattice: lattice, input: input, output: output, support: support, options: options, maxDimension: maxDimension), input, output)
        } catch let error as SolverError {
            throw UsageError("\(error)")
        }
    }

    /// The Swift emitter of a solved lattice layer (the PyTorch emitter wraps it), its header naming `command`.
    static func emitter(
        _ conv: LatticeConvolution, spec: String, lattice: CrystallographicLattice, pair: RepresentationPair, typeName: String, command: [String]
    ) throws -> LatticeLayerEmitter {
        LatticeLayerEmitter(
            convolution: conv, generatorNames: try LatticeConvolution.pointGroupCarrier(lattice).generators, typeName: typeName,
            inputExpression: pair.inputText, outputExpression: pair.outputText,
            header: GeneratedFileHeader(spec: spec, command: GeneratedFileHeader.commandLine(command)))
    }

    static func layer(
        spec: String, lattice: CrystallographicLattice, pair: RepresentationPair, support: Int, typeName: String, destination: String, url: URL,
        options: SolverOptions, maxDimension: Int, verify: Bool, json: Bool, timing: Bool = false, command: [String]
    ) throws {
        let clock = ContinuousClock(), start = clock.now
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let (conv, input, output) = try solve(lattice: lattice, pair: pair, support: support, options: options, maxDimension: maxDimension)
        let solved = clock.now
        let emitter = try Self.emitter(conv, spec: spec, lattice: lattice, pair: pair, typeName: typeName, command: command)
        let source = emitter.source()
        try verifyThenWrite(
            source, verify ? try LatticeVerification.fields(lattice: lattice, input: input, output: output) : nil, typeName: typeName, what: "layer", to: url)
        if timing {
            FileHandle.standardError.write(Data("timing: basis_solve_s=\(seconds(solved - start)) total_s=\(seconds(clock.now - start)) kernel_basis_dimension=\(conv.kernelBasis.dimension)\n".utf8))
        }
        if json {
            print(JSONValue.object([
                ("file", .string(destination)), ("type", .string(typeName)), ("group", .string(emitter.groupName)),
                ("order", .string(emitter.groupOrder)), ("inputDimension", .int(emitter.inputDimension)),
                ("outputDimension", .int(emitter.outputDimension)), ("weightCount", .int(conv.weightCount)),
                ("biasCount", .int(conv.biasCount)), ("kernelBasisDimension", .int(conv.kernelBasis.dimension)),
                ("stencilOffsets", .int(conv.stencil.count)), ("basisMethod", .string(conv.kernelBasis.method.description)),
                ("strategy", .string("lattice-convolution")),
            ]).rendered())
        } else {
            print("wrote \(destination): \(typeName), \(emitter.inputDimension) → \(emitter.outputDimension), \(conv.weightCount) weights (\(conv.kernelBasis.dimension) kernel basis elements per channel pair on \(conv.stencil.count) stencil offsets), \(conv.biasCount) bias parameters")
            print("strategy: lattice-convolution (the runtime's SteerableLatticeConvolution: an implicit im2col of the stencil and a register-blocked product)")
        }
    }
}

extension GenerateLatticeCommand {
    /// With `fields` (`--verify`): compiles `source` and checks it over every translation × point
    /// element, printing the reports on stderr, and writes nothing if a check fails or the model is
    /// degenerate. Then writes `source` atomically to `url`.
    static func verifyThenWrite(_ source: String, _ fields: LatticeVerification.Fields?, typeName: String, what: String, to url: URL) throws {
        if let fields {
            let reports = try LatticeVerification(options: VerificationOptions()).verify(source: source, fileName: "\(typeName).swift", spec: fields)
            FileHandle.standardError.write(Data((reports.map(\.text).joined(separator: "\n\n") + "\n").utf8))
            guard reports.allSatisfy(\.passed), !reports.contains(where: \.isDegenerate) else {
                throw CommandFailure(description: "the generated \(what) failed its equivariance check (see above); nothing was written")
            }
        }
        try OutputSet.write(source, to: url)
    }

    /// `archsynth generate network wallpaper:p4:8x8 --reps 'field(trivial),2*field(regular),trivial'
    /// [--support K] [--nonlinearity relu|tanh|norm-relu|norm-sigmoid|gated|auto[,…]] --name TYPE -o FILE
    /// [--verify] [--json]`: a G-CNN of steerable lattice convolutions with one nonlinearity per
    /// hidden layer (`LatticeNonlinearity`; one value for all or a list), `pool(s)` entries in
    /// `--reps` for strided pooling (`LatticeStridedPooling`) and, when the last rep is
    /// `m*trivial`, an invariant pooling head (`LatticeNetworkEmitter`). `--verify` compiles the
    /// file and checks it over every translation × point element before anything is written.
    static func network(
        spec: String, lattice: CrystallographicLattice, reps: [String], support: Int, nonlinearity: String, typeName: String, destination: String,
        url: URL, options: SolverOptions, limits: GenerationLimits, maxDimension: Int, verify: Bool, json: Bool, command: [String]
    ) throws {
        let header = GeneratedFileHeader(spec: spec, command: GeneratedFileHeader.commandLine(command))
        let emitter: LatticeNetworkEmitter
        do {
            emitter = try LatticeNetworkEmitter(
                lattice: lattice, expressions: reps, support: support, typeName: typeName, header: header,
                nonlinearities: nonlinearity.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) },
                options: options, maxDimension: maxDimension)
        } catch let error as LatticeNetworkError {
            throw UsageError(error.description)
        } catch let error as SolverError {
            throw UsageError("\(error)")
        }
        do { try emitter.checkParameters(limits: limits) } catch {
            throw CommandFailure(description: "\(error)")
        }
        let source = emitter.source()
        let fields = verify ? try LatticeVerification.fields(lattice: lattice, reps: reps) : nil
        try verifyThenWrite(source, fields, typeName: typeName, what: "network", to: url)
        if json {
            print(JSONValue.object([
                ("file", .string(destination)), ("type", .string(typeName)), ("group", .string(emitter.groupName)), ("order", .string(emitter.groupOrder)),
                ("representations", .array(reps.map { .string($0) })), ("dimensions", .array(emitter.dimensions.map { .int($0) })),
                ("weightCount", .int(emitter.weightCount)), ("biasCount", .int(emitter.biasCount)),
                ("strategies", .array(emitter.convolutions.map { _ in .string("lattice-convolution") } + (emitter.head == nil ? [] : [.string("invariant-pooling")]))),
                ("nonlinearities", .array(emitter.activationPlans.map { .string($0.summary) })), ("gateCount", .int(emitter.gateCount)),
                ("stride", .int(emitter.totalStride)),
                ("invariant", .bool(emitter.head != nil)),
            ]).rendered())
        } else {
            print("wrote \(destination): \(typeName), \(emitter.dimensions.map(String.init).joined(separator: " → ")), \(emitter.weightCount) weights, \(emitter.biasCount) bias parameters\(emitter.head != nil ? ", invariant head" : "")")
            for (k, stage) in emitter.stages.enumerated() {
                switch stage {
                case let .convolution(i):
                    let c = emitter.convolutions[i], e = emitter.layerEmitters[i]
                    print("layer \(k + 1): \(e.inputExpression) → \(e.outputExpression), lattice-convolution on \(c.lattice.sides.map(String.init).joined(separator: "x")) (\(c.kernelBasis.dimension) kernel basis elements per channel pair on \(c.stencil.count) stencil offsets)" + (i < emitter.activationPlans.count ? "; then \(emitter.activationPlans[i].summary)" : ""))
                case let .pool(field):
                    print("layer \(k + 1): pool(\(emitter.strides[field])), \(emitter.poolingKernel == .blockMean ? "block means" : "point-group-symmetrized block means") \(emitter.grids[field].sides.map(String.init).joined(separator: "x")) → \(emitter.grids[field + 1].sides.map(String.init).joined(separator: "x"))")
                case .head:
                    let h = emitter.head!
                    print("layer \(k + 1): → \(reps[reps.count - 1]), invariant pooling (mean over the grid and \(h.orbitCount) point-group orbit\(h.orbitCount == 1 ? "" : "s") per channel) then linear")
                }
            }
            if emitter.totalStride > 1 {
                print("strided: equivariant to translations by \(emitter.totalStride) and \(emitter.poolingKernel.centerDescription) (output grid \(emitter.grids[emitter.grids.count - 1].sides.map(String.init).joined(separator: "x")))")
            }
        }
    }
}
