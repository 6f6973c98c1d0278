/// Command-line options shared by the subcommands.
struct BenchOptions {
    /// Best of this many runs (fewer when a run takes longer than the time budget).
    var runs = 3
    var json = false
    var presentationsPath = "Benchmarks/coset-enumeration/presentations.txt"
    /// The dense baseline runs only while d_in·d_out is at most this.
    var denseCap = 1600
    /// Only cases whose name contains one of these (all cases when empty); `--only` may
    /// be repeated (names such as `PSL(2,7)` contain commas, so values are not split).
    var only: [String] = []
    /// Sections to skip (`schreier-sims`, `todd-coxeter`, `dense`, ...).
    var skip: [String] = []

    func matches(_ name: String) -> Bool { only.isEmpty || only.contains { name.contains($0) } }
    func wants(_ section: String) -> Bool { !skip.contains(section) }

    init(parsing arguments: some Sequence<String>) throws {
        var it = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let v = it.next() else { throw BenchError.usage("\(flag) needs a value") }
            return v
        }
        while let a = it.next() {
            switch a {
            case "--runs":
                guard let n = Int(try value(a)), n >= 1 else { throw BenchError.usage("--runs needs a positive integer") }
                runs = n
            case "--json": json = true
            case "--presentations": presentationsPath = try value(a)
            case "--dense-cap":
                guard let n = Int(try value(a)), n >= 0 else { throw BenchError.usage("--dense-cap needs a non-negative integer") }
                denseCap = n
            case "--only": only.append(try value(a))
            case "--skip": skip += try value(a).split(separator: ",").map(String.init)
            default: throw BenchError.usage("unknown option \(a)")
            }
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    case input(String)
    case wrongResult(String)

    var description: String {
        switch self {
        case let .usage(m): return "usage: \(m) (see archsynth-bench --help)"
        case let .input(m): return "input: \(m)"
        case let .wrongResult(m): return "wrong result: \(m)"
        }
    }
}
