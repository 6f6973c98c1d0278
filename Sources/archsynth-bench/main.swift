import Foundation

/// archsynth-bench: measured comparisons (not timed tests). Each subcommand prints a
/// Markdown table on stdout (or JSON with --json) and progress on stderr.
/// See BENCHMARKS.md and Benchmarks/run.sh.
let usage = """
    usage: archsynth-bench COMMAND [options]

    commands:
      groups        Schreier–Sims (inputs of Benchmarks/schreier-sims/gap_bench.g) and
                    Todd–Coxeter (every line of Benchmarks/coset-enumeration/presentations.txt)
      solver        IntertwinerSolver scaling series against a dense-SVD baseline
      emlp-inputs   JSON generator permutations for Benchmarks/emlp/emlp_bench.py
      swap-inversion [--quick] [--seed N] [--steps N]  issue 8: svf template vs unconstrained (loss, inverse consistency),
                    matrix forms ‖Φ[A,B]Φ[B,A] − I‖ (docs/results/swap-inversion.md)

    options:
      --runs N              best of N runs (default 3; fewer once the runs take over 10 s)
      --json                JSON on stdout instead of Markdown
      --presentations PATH  default Benchmarks/coset-enumeration/presentations.txt
      --dense-cap N         run the dense baseline only while d_in·d_out ≤ N (default 1600)
      --only TEXT           only cases whose name contains TEXT (repeatable)
      --skip S,T            skip sections: schreier-sims, todd-coxeter, dense

    Build with `swift build -c release --product archsynth-bench`; debug timings mean nothing.
    """

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first, !["--help", "-h", "help"].contains(command) else {
    if arguments.isEmpty {
        standardError(usage)
        exit(64)
    }
    print(usage)
    exit(0)
}

if command == "swap-inversion" { SwapInversionBench.run(Array(arguments.dropFirst())) }
do {
    let options = try BenchOptions(parsing: arguments.dropFirst())
    let result: (tables: [MarkdownTable], records: [JSONRecord])
    switch command {
    case "groups": result = try GroupsBenchmark.run(options)
    case "solver": result = try SolverBenchmark.run(options)
    case "emlp-inputs":
        print(try EMLPInputs.run(options), terminator: "")
        exit(0)
    default: throw BenchError.usage("unknown command \(command)")
    }
    if options.json {
        print(jsonText(result.records, machine: machineDescription()), terminator: "")
    } else {
        print(result.tables.map(\.markdown).joined(separator: "\n"), terminator: "")
    }
} catch let error as BenchError {
    standardError("archsynth-bench: \(error)")
    if case .usage = error { exit(64) }
    exit(1)
} catch {
    standardError("archsynth-bench: \(error)")
    exit(1)
}
