/// The opening of the checks the lattice tests append to a verification harness's main file:
/// `import Glibc`, a failure counter, `check(name, value, below:)` (prints `TAG\tname\tvalue`,
/// counts a failure when value ≥ bound; the checks end with `if failures > 0 { exit(1) }`), and
/// `rng`, a SplitMix64 generator whose `unit()` is uniform in [−1, 1), written out here so the
/// harness depends on nothing of the library's random numbers.
enum LatticeHarness {
    static func preamble(tag: String, seed: UInt64) -> String {
        """

        import Glibc  // exit

        nonisolated(unsafe) var failures = 0
        func check(_ name: String, _ value: Double, below bound: Double) {
            print("\(tag)\\t\\(name)\\t\\(value)")
            if !(value < bound) { print("FAILED \\(name): \\(value) ≥ \\(bound)"); failures += 1 }
        }
        struct SplitMix64Lite {
            var state: UInt64
            init(seed: UInt64) { state = seed }
            mutating func unit() -> Double {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53) * 2 - 1
            }
        }
        nonisolated(unsafe) var rng = SplitMix64Lite(seed: \(seed))

        """
    }
}
