import Foundation
import GroupTheory

/// The command-line flag of each GroupTheory resource limit. GroupTheory's errors carry the
/// limit they hit and name it by its option ("raise GroupOptions.maxDimension"); the message
/// the user sees adds the flag that raises it from here, so the library knows nothing of the
/// command line and every limit has a flag (the switch is exhaustive).
extension ResourceLimit {
    /// `--max-rep-dimension` for `GroupOptions.maxDimension`, and so on (`CommonOptions` and
    /// `SolverFlags` read them).
    var flag: String {
        switch self {
        case .maxCosets: return "--max-cosets"
        case .maxElements: return "--max-elements"
        case .maxDimension: return "--max-rep-dimension"
        case .maxDenseEntries: return "--max-dense-entries"
        case .maxBasisEntries: return "--max-basis-entries"
        }
    }
}

enum LimitFlags {
    /// `message` with every resource limit it names followed by its flag:
    /// "raise GroupOptions.maxDimension" becomes
    /// "raise GroupOptions.maxDimension (command line: --max-rep-dimension N)".
    /// A name already followed by its flag is left as it is.
    static func annotate(_ message: String) -> String {
        var text = message
        for limit in ResourceLimit.allCases {
            let annotated = "\(limit.optionName) (command line: \(limit.flag) N)"
            let marker = "\u{0}"
            text = text.replacingOccurrences(of: annotated, with: marker)
                .replacingOccurrences(of: limit.optionName, with: annotated)
                .replacingOccurrences(of: marker, with: annotated)
        }
        return text
    }
}
