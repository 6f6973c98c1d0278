import ArchSynthRuntime
import Dispatch
import Synchronization
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The persistent worker pool under `RuntimeThreads.forEachChunk`: every index once, in the
/// documented chunks (t·n/T ..< (t+1)·n/T, written out here from the definition), from one caller
/// or many at once, after the workers parked, and with nested loops serial.
final class WorkerPoolTests: XCTestCase {
    /// The chunks of 0..<n over `threads`, from the definition: T = min(threads, n) chunks, chunk
    /// t is ⌊t·n/T⌋ ..< ⌊(t+1)·n/T⌋ (none for n = 0).
    static func expectedChunks(_ n: Int, threads: Int) -> [Range<Int>] {
        let t = min(threads, n)
        return t == 0 ? [] : (0..<t).map { c in c * n / t..<(c + 1) * n / t }
    }

    /// Runs one loop, counts the visits of every index and records the chunks; fails naming the case.
    static func checkLoop(_ n: Int, threads: Int, file: StaticString = #filePath, line: UInt = #line) {
        let visits = Mutex<[Int]>([Int](repeating: 0, count: n))
        let chunks = Mutex<[Range<Int>]>([])
        RuntimeThreads.forEachChunk(n, threads: threads) { r in
            chunks.withLock { $0.append(r) }
            visits.withLock { v in for i in r { v[i] += 1 } }
        }
        XCTAssertEqual(visits.withLock { $0 }, [Int](repeating: 1, count: n), "n \(n), threads \(threads): an index not visited exactly once", file: file, line: line)
        XCTAssertEqual(
            chunks.withLock { $0 }.sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) },
            expectedChunks(n, threads: threads), "n \(n), threads \(threads): chunks", file: file, line: line)
    }

    func testEveryIndexOnceInTheDefinedChunksForManyCountsAndThreadCounts() {
        let cores = RuntimeThreads.onlineCores
        // n < threads, n = threads, n > threads, threads beyond the cores (the pool grows).
        let threadCounts = [1, 2, 3, 4, 5, 7, 8, cores, cores + 1, 2 * cores + 3, 16, 33]
        for threads in threadCounts {
            for n in [0, 1, 2, 3, 5, 8, 13, 31, 32, 33, 100, 1000] { Self.checkLoop(n, threads: threads) }
        }
        // Back to a small loop after the pool grew: the extra workers find no chunk and stay out.
        for n in [2, 3, 64] { Self.checkLoop(n, threads: 2) }
    }

    func testASecondThreadRunsChunks() {
        // Chunk 0 (the caller's) waits, for a bounded number of polls, until chunk 1 has started:
        // with a worker awake, chunk 1 starts on it meanwhile. In 200 loops at least one must run its
        // two chunks on two threads (a pool that left every chunk to the caller fails this).
        var parallelLoops = 0
        for _ in 0..<200 {
            let started = Atomic<Bool>(false)
            let threads = Mutex<[Int: pthread_t]>([:])
            RuntimeThreads.forEachChunk(2, threads: 2) { r in
                threads.withLock { $0[r.lowerBound] = pthread_self() }
                if r.lowerBound == 1 { started.store(true, ordering: .releasing) }
                var polls = 0
                while r.lowerBound == 0, !started.load(ordering: .acquiring), polls < 1_000_000 { polls += 1 }
            }
            let t = threads.withLock { $0 }
            if let a = t[0], let b = t[1], pthread_equal(a, b) == 0 { parallelLoops += 1 }
        }
        XCTAssertGreaterThan(parallelLoops, 0, "no loop of two chunks ran on two threads")
    }

    func testNestedLoopsRunSeriallyOnTheChunksThread() {
        // Each chunk of the outer loop starts an inner loop of 4 threads: it must run as one chunk,
        // 0..<10, on the chunk's own thread, and the inner body sees itself inside a loop.
        let inner = RuntimeThreads.map(6, threads: 3) { _ -> [String] in
            let outerThread = pthread_self()
            let seen = Mutex<[String]>([])
            RuntimeThreads.forEachChunk(10, threads: 4) { r in
                let same = pthread_equal(pthread_self(), outerThread) != 0
                seen.withLock { $0.append("\(r) same thread \(same) inside \(RuntimeThreads.isInsideParallelLoop)") }
            }
            return seen.withLock { $0 }
        }
        XCTAssertEqual(inner, [[String]](repeating: ["0..<10 same thread true inside true"], count: 6))
        XCTAssertFalse(RuntimeThreads.isInsideParallelLoop, "the calling thread is left unmarked")
    }

    func testManyThreadsCallingAtOnceGetCorrectResults() {
        // 8 callers from Dispatch, 300 loops each, thread counts 2–5 and sizes 1–64: one of them
        // holds the pool at a time, the others take Dispatch's path; every result must be right.
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { caller in
            for k in 0..<300 {
                let n = 1 + (caller * 7 + k * 13) % 64, threads = 2 + (caller + k) % 4
                let squares = RuntimeThreads.map(n, threads: threads) { i in i * i + caller }
                if squares != (0..<n).map({ $0 * $0 + caller }) {
                    failures.withLock { $0.append("caller \(caller), loop \(k), n \(n), threads \(threads)") }
                }
                let sum = Mutex<Int>(0)
                RuntimeThreads.forEachChunk(n, threads: threads) { r in sum.withLock { $0 += r.reduce(0, +) } }
                if sum.withLock({ $0 }) != n * (n - 1) / 2 {
                    failures.withLock { $0.append("caller \(caller), loop \(k): chunk sum of 0..<\(n) on \(threads) threads") }
                }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
    }

    func testLoopsAfterTheWorkersParkedStillComplete() {
        // The workers spin about 50 µs after a job, then park; 3 ms later every worker is parked
        // and a new loop must wake them or run on the caller (the test finishing shows no hang).
        for round in 0..<5 {
            Self.checkLoop(64, threads: 2 + round % 3)
            usleep(3000)
            Self.checkLoop(17, threads: 4)
            usleep(3000)
        }
    }
}
