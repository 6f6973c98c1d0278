import Foundation

/// Best-of-N timings of one piece of work: wall-clock (`ContinuousClock`) and the
/// process CPU time (`CLOCK_PROCESS_CPUTIME_ID`, what GAP's `Runtime()` reports).
struct Timing: Sendable {
    /// Best wall-clock time of the runs, in seconds.
    var wall: Double
    /// Best process CPU time of the runs, in seconds.
    var cpu: Double
    /// How many runs were made (fewer than asked when one run exceeds the budget).
    var runs: Int

    /// Runs `body` up to `runs` times (at least once) and keeps the best times. Stops
    /// early once the runs so far have taken more than `budget` seconds of wall time,
    /// so a case that takes a minute is run once, not three times.
    static func measure(runs: Int, budget: Double = 10, _ body: () throws -> Void) rethrows -> Timing {
        var best = Timing(wall: .infinity, cpu: .infinity, runs: 0)
        var spent = 0.0
        let clock = ContinuousClock()
        while best.runs < max(1, runs) {
            let cpu0 = processCPUTime()
            let start = clock.now
            try body()
            let wall = seconds(clock.now - start)
            let cpu = processCPUTime() - cpu0
            best.wall = min(best.wall, wall)
            best.cpu = min(best.cpu, cpu)
            best.runs += 1
            spent += wall
            if spent > budget { break }
        }
        return best
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) * 1e-18
    }

    /// CPU time of this process (all threads) in seconds.
    static func processCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// Milliseconds with three significant digits (at least one decimal below 10 ms).
func formatMilliseconds(_ seconds: Double) -> String {
    let ms = seconds * 1000
    if ms < 1 { return String(format: "%.3f", ms) }
    if ms < 10 { return String(format: "%.2f", ms) }
    if ms < 100 { return String(format: "%.1f", ms) }
    return String(format: "%.0f", ms)
}

/// A ratio a/b as "12×" (or "0.5×"), or "—" when either side is missing.
func formatRatio(_ a: Double?, _ b: Double?) -> String {
    guard let a, let b, a > 0, b > 0, a.isFinite, b.isFinite else { return "—" }
    let r = a / b
    if r >= 100 { return String(format: "%.0f×", r) }
    if r >= 10 { return String(format: "%.1f×", r) }
    return String(format: "%.2f×", r)
}
