import ArchSynth
import Foundation
import GroupTheory

/// archsynth: parse, validate, run (DESIGN.md "Command line"). Usage errors exit
/// 64, other failures 1; all errors go to stderr.
let usage = """
    usage: archsynth COMMAND [options]

    commands:
      catalog [--json]                                list the shipped groups
      info SPEC [--json]                              validate a group and describe it
      basis SPEC --in EXPR --out EXPR [--factored] [--json] [--format json|npy -o FILE]
                                                      the equivariant basis (kept factored,
                                                      W = P_out (⊕ K_p) P_in, above --max-basis-entries
                                                      or with --factored)
      generate layer SPEC --in EXPR --out EXPR --name TYPE -o FILE [--strategy S] [--support K] [--verify] [--json]
                                                      an equivariant layer as one Swift file
                                                      (S: auto, tied, symmetric-closed-form, dense, group-convolution, factored)
      generate network SPEC --reps EXPR,EXPR,... --name TYPE -o FILE [--nonlinearity auto|relu|tanh|norm] [--support K] [--verify] [--json]
                                                      equivariant layers + nonlinearities, backward, trainStep
                                                      (wallpaper/space: also norm-relu|norm-sigmoid|gated, one per layer
                                                      as a list; pool(s) entries in --reps; docs/lattice-networks.md)
      generate from-config CONFIG.archsynth.json -o DIR [--verify] [--json]
                                                      every layer and network a config names (the build plugin)
      generate template coordinate-attention --grid N|HxW --channels C --depth L [--stencil k] [--temperature T] [--refine L2] --name TYPE -o FILE
               | coordinate-attention --groups SPEC1,SPEC2 --in REP1,REP2 --channels C --depth L [--temperature T] --name TYPE -o FILE
                                                      [W,U]-equivariant registration (CARL) / G1 x G2 soft correspondence
      generate block unrolled-gradient SPEC --x EXPR --context EXPR --steps K [--energy quadratic|quartic|network:REPS] [--share] [--step plain|normalized] [--sweep] --name TYPE -o FILE
                                                      K unrolled equivariant gradient steps (mesa-optimizer block);
                                                      network:REPS = hidden reps then trivial, e.g. network:4*regular,trivial
      generate block unrolled-fixed-point --grid N|HxW --steps K --step lucas-kanade|network [--channels C] [--stencil S] [--from-model STEP.json] --name TYPE -o FILE
                                                      K Lucas–Kanade or learned [U,U] steps (network: 1-D, the
                                                      step from `train fixed-point-step`, else seeded); prints
                                                      [U,U] and [W,U] errors against K
      generate template swap-inversion (--form affine:2|affine:3|rigid:2|rigid:3|svf:HxW | --two-step affine:2,svf:HxW) --input N|HxW --name TYPE -o FILE [--hidden M] [--squarings K]
                                                      a swap-inversion registration template (ConstrICON)
      generate template registration --from-model model.json --name TYPE -o FILE
                                                      a trained registration model as Swift (weights baked in)
      verify FILE.swift --spec SPEC (--in EXPR --out EXPR | --reps EXPR,...) [--optimization -O|-Onone] [--json]
      verify FILE.swift | verify SPEC --in EXPR --out EXPR [--json]
             [--timeout SECONDS (600)] [--memory-limit MB (8192)] [--max-grid-points N (4096)]
                                                      out-of-distribution equivariance checks (with --spec,
                                                      against the spec's actions, not the file's);
                                                      --verify on generate runs them before writing;
                                                      exit 0 only if they pass
      train fixed-point-step --grid N [--channels C] [--stencil S] [--train-depth K] [--iterations N] -o step.json
                                                      train the learned step of the fixed-point block
      train registration --template carl|constricon --images DIR --size N -o model.json [--steps N] [--batch B] [--seed S] ...
                                                      train a registration template on a folder of 2-D .npy
                                                      images (progress on stderr; all options: `archsynth train --help`)
      register --model model.json --fixed A.npy --moving B.npy -o field.npy [--warped W.npy]
                                                      the displacement (2,H,W) float32 in pixels, channel 0 = row,
                                                      moving(x + u(x)) ≈ fixed(x) (periodic bilinear)
      verify model.json [--images DIR] [--pairs N]   a trained registration model's law ([W,U] for carl,
                                                      swap inversion for constricon) on unseen images
      experiment NAME [--quick] [--seeds N] [-o DIR] | experiment --list
                                                      run an experiment: DIR/NAME.md and DIR/NAME.svg

    SPEC is a spec file, a catalog name (see `archsynth catalog`), a family
    (cyclic:N, dihedral:N, symmetric:N, alternating:N, hyperoctahedral:N) or G x H.
    Limits: --max-cosets N (coset enumeration), --max-elements N (element listing),
    --max-rep-dimension N, --max-dense-entries N (building representations); commands that
    solve (basis, generate layer|network|from-config, verify SPEC) also take
    --max-exact-unknowns N, --max-index-pairs N, --max-basis-entries N,
    --max-factored-dimension N and --float (solve non-monomial exact representations in Float64).
    Every limit an error names comes with the flag that raises it.
    """

func standardError(_ text: String) {
    FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first, command != "--help", command != "-h", command != "help" else {
    if arguments.isEmpty {
        // A usage error like any other: the one-line "error: " first, then the usage.
        standardError("error: missing the command (catalog, info, basis, generate, verify or experiment)\n\n\(usage)")
        exit(64)
    }
    print(usage)
    exit(0)
}

do {
    let rest = Array(arguments.dropFirst())
    switch command {
    case "catalog": try CatalogCommand.run(rest)
    case "info": try InfoCommand.run(rest)
    case "basis": try BasisCommand.run(rest)
    case "generate": try GenerateCommand.run(rest)
    case "verify": try VerifyCommand.run(rest)
    case "experiment": try ExperimentCommand.run(rest)
    case "train": try TrainCommand.run(rest)
    case "register": try RegisterCommand.run(rest)
    case "--version", "version": print("archsynth \(ArchSynthVersion.current)")
    default: throw UsageError("unknown command \"\(command)\"")
    }
    exit(0)
} catch let error as UsageError {
    standardError("error: \(LimitFlags.annotate("\(error)"))\n\n\(usage)")
    exit(64)
} catch let error as CommandFailure {
    standardError("error: \(LimitFlags.annotate("\(error)"))")
    exit(error.exitCode)
} catch {
    standardError("error: \(LimitFlags.annotate("\(error)"))")
    exit(1)
}
