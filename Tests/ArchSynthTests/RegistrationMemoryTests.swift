@testable import ArchSynth
import Foundation
import XCTest

/// `RegistrationMemory.keepFreedMemory` (called by `train`): after it, allocating, writing and
/// freeing the same large arrays again and again reuses the same pages, so the kernel counts
/// (almost) no new page faults; with glibc's defaults the freed memory goes back to the system
/// and its pages fault in again on the next write.
final class RegistrationMemoryTests: XCTestCase {
    func testFreedArraysAreReusedWithoutPageFaults() throws {
        #if canImport(Glibc)
            XCTAssertTrue(RegistrationMemory.keepFreedMemory(), "mallopt refused the thresholds")
            func minorFaults() -> Int {
                var usage = rusage()
                getrusage(RUSAGE_SELF.rawValue, &usage)
                return usage.ru_minflt
            }
            // Like a training step: eight 1 MiB arrays (256 pages of 4 KiB each) live at once,
            // then all freed; 20 such rounds.
            let count = 1 << 17, rounds = 20
            var checksum = 0.0
            func round(_ r: Int) {
                var arrays: [[Double]] = []
                for a in 0..<8 {
                    var x = [Double](repeating: 0, count: count)
                    for i in stride(from: 0, to: count, by: 512) { x[i] = Double(r + a + i) }
                    arrays.append(x)
                }
                checksum += arrays.reduce(0) { $0 + $1[count - 512] }
            }
            round(0)  // the first round faults its pages in once
            let before = minorFaults()
            for r in 1...rounds { round(r) }
            let faults = minorFaults() - before
            // glibc's defaults: the freed 8 MiB at the heap's top is returned to the system and
            // faulted in again every round (≈ 2,048 faults a round).
            XCTAssertLessThan(faults, 256, "\(faults) page faults in \(rounds) rounds of eight 1 MiB arrays (checksum \(checksum))")
        #else
            throw XCTSkip("RegistrationMemory only configures glibc's allocator")
        #endif
    }
}
