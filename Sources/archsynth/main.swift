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
      basis SPEC --in EXPR --out EXPR [--json] [--format json|npy -o FILE]
                                                      the equivariant basis
      generate layer SPEC --in EXPR --out EXPR --name TYPE -o FILE [--strategy S] [--support K] [--json]
                                                      an equivariant layer as one Swift file
                                                      (S: auto, tied, symmetric-closed-form, dense)
      generate network SPEC --reps EXPR,EXPR,... --name TYPE -o FILE [--nonlinearity auto|relu|tanh|norm] [--json]
                                                      equivariant layers + nonlinearities, backward, trainStep
      generate from-config CONFIG.archsynth.json -o DIR
                                                      every layer and network a config names (the build plugin)
      verify FILE.swift [--optimization -O|-Onone] | verify SPEC --in EXPR --out EXPR [--json]
                                                      out-of-distribution equivariance checks;
                                                      exit 0 only if they pass

    SPEC is a spec file, a catalog name (see `archsynth catalog`), a family
    (cyclic:N, dihedral:N, symmetric:N, alternating:N, hyperoctahedral:N) or G x H.
    Limits: --max-cosets N (coset enumeration), --max-elements N (element listing).
    """

func standardError(_ text: String) {
    FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first, command != "--help", command != "-h", command != "help" else {
    if arguments.isEmpty {
        standardError(usage)
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
    case "--version", "version": print("archsynth \(ArchSynthVersion.current)")
    default: throw UsageError("unknown command \"\(command)\"")
    }
    exit(0)
} catch let error as UsageError {
    standardError("error: \(error)\n\n\(usage)")
    exit(64)
} catch let error as CommandFailure {
    standardError("error: \(error)")
    exit(error.exitCode)
} catch {
    standardError("error: \(error)")
    exit(1)
}
