import ArchSynthExperiments
import ArchSynth
import Foundation

/// `archsynth-bench swap-inversion [--quick] [--seed N] [--steps N]`: prints
/// `SwapInversionExperiment.run`'s report (issue 8's measurements) and exits.
enum SwapInversionBench {
    static func run(_ arguments: [String]) -> Never {
        func value(_ name: String) -> UInt64? {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
            return UInt64(arguments[i + 1])
        }
        do {
            let report = try SwapInversionExperiment.run(
                quick: arguments.contains("--quick"), seed: value("--seed") ?? 1, steps: value("--steps").map { Int($0) })
            print(report.text)
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }
}
