import ArchSynth
import Foundation
import GroupTheory

/// `archsynth basis SPEC --in EXPR --out EXPR [--factored] [--json] [--format json|npy -o PATH]`:
/// the equivariant basis. `--format json -o FILE` writes the JSON to FILE; `--format npy
/// -o DIR` writes DIR/basis.npy and DIR/bias.npy (both atomically). A basis above
/// --max-basis-entries is kept factored (`FactoredIntertwiner`); `--factored` asks for that form.
enum BasisCommand {
    static func run(_ rest: [String]) throws {
        let args = try Arguments(
            rest,
            valueOptions: CommonOptions.values.union(SolverFlags.values).union(["--in", "--out", "--format", "-o", "--support"]),
            flagOptions: CommonOptions.flags.union(SolverFlags.flags).union(["--factored"]))
        let spec = try args.positional(0, what: "SPEC (a spec file, catalog name or family such as symmetric:4)")
        try args.expectPositionals(1)
        let pair = try RepresentationPair(args)
        let format = args.value("--format")
        if let format, format != "json", format != "npy" {
            throw UsageError("--format must be json or npy, not \"\(format)\"")
        }
        let destination = args.value("-o")
        if format == "npy", destination == nil { throw UsageError("--format npy needs -o DIR") }
        if destination != nil, format == nil { throw UsageError("-o needs --format json or --format npy") }
        let options = try SolverFlags.options(args)

        let (input, output) = try pair.parsed()
        // A basis depends only on the generator images: a presentation too large to list its
        // elements is not enumerated when a permutation representation confirms its documented
        // order (W(E7): 3.6 s of coset enumeration saved on a first call; `info` still enumerates).
        var resolver = try CommonOptions.resolver(args)
        resolver.options.enumerateLargePresentations = false
        let group = try resolver.resolve(spec)
        if let supportText = args.value("--support") {
            // Wallpaper and space groups: the steerable stencil kernel basis (LatticeConvolution).
            guard let k = Int(supportText), k >= 1 else { throw UsageError("--support must be a positive odd integer (the stencil width), not \"\(supportText)\"") }
            guard CrystallographicLattice(origin: group.origin) != nil else {
                throw UsageError("basis --support needs a wallpaper or space group (wallpaper:p4m:HxW, space:Oh:DxHxW); for group convolutions on cyclic grids use generate layer --support")
            }
            guard destination == nil else { throw UsageError("basis --support prints its kernel basis (--json); --format and -o are not supported with it") }
            let conv = try LatticeConvolution(group: group, input: input, output: output, support: k, options: options)
            let report = LatticeConvolutionReport(group: group, input: input.description, output: output.description, support: k, convolution: conv)
            print(args.has("--json") ? report.json.rendered() : report.text)
            return
        }
        Progress.solving(group: group, input: input, output: output)
        // A basis too large to materialize is kept factored (W = P_out (⊕ K_p) P_in); --factored asks for that form.
        let basis = args.has("--factored")
            ? try IntertwinerSolver.solveFactored(group: group, input: input, output: output, options: options)
            : try IntertwinerSolver.solveMaterializedOrFactored(group: group, input: input, output: output, options: options)
        let report = BasisReport(group: group, input: input.description, output: output.description, basis: basis)

        let needsJSON = args.has("--json") || format == "json"
        if needsJSON, report.totalNonzeros > BasisReport.maxJSONEntries {
            throw CommandFailure(description:
                "the basis has \(report.totalNonzeros) nonzeros, above the \(BasisReport.maxJSONEntries) written as JSON; use --format npy -o DIR or smaller representations")
        }
        if let destination, let format {
            let url = URL(fileURLWithPath: destination)
            if format == "npy" {
                guard basis.factored == nil else {
                    throw CommandFailure(description: "the basis is kept factored (\(BasisReport.denseEntries(basis)) dense entries); write its factors with --format json -o FILE")
                }
                try BasisExport.writeNumPy(basis, to: url)
            } else {
                try OutputFile.write(report.json.rendered() + "\n", to: url)
            }
            if !args.has("--json") {
                print(report.text)
                print("wrote \(format == "npy" ? url.appendingPathComponent("basis.npy").path + " and bias.npy" : url.path)")
            }
        }
        if args.has("--json") {
            print(report.json.rendered())
        } else if destination == nil {
            print(report.text)
        }
    }
}
