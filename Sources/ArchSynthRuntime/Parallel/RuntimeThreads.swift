import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The runtime's thread count and its one parallel loop.
///
/// The count is, in order of precedence: an explicit `threads:` argument of the call; the
/// runtime-wide `RuntimeThreads.count` when a program set it; the environment variable
/// `ARCHSYNTH_THREADS=N`; all online cores. Work is split into contiguous chunks of indices, one
/// per thread, and every index's arithmetic is the same whatever thread runs it; callers reduce
/// across indices afterwards in index order, so results are bit-identical for every thread count.
/// A parallel loop started inside another one runs on the calling thread (no oversubscription).
///
/// The chunks run on a persistent pool of worker threads (`WorkerPool`, created on first use and
/// grown to the largest thread count asked for): the calling thread runs chunk 0 and helps with
/// the rest, and workers that wait for the next loop spin about 50 µs, then sleep. Two trivial
/// chunks on two threads cost 0.27–0.32 µs of fork and join when loops follow each other and a
/// median 3.6–6.3 µs after 2 ms idle; Dispatch's `concurrentPerform`, used before, 2.6–3.5 µs and
/// 8.5–20 µs (one run at load 2.6–2.8 on 2 cores, `Benchmarks/generation/forkjoin.sh`, raw output
/// `Benchmarks/generation/results/forkjoin-2026-12-07.txt`). One loop uses the pool at a time: a loop that another
/// thread starts meanwhile runs its chunks on Dispatch's threads, with the same chunks.
///
/// ```swift
/// let squares = RuntimeThreads.map(8, threads: 2) { i in Double(i * i) }   // [0, 1, 4, …, 49]
/// RuntimeThreads.count = 1   // from now on, everything in this process on one thread
/// ```
public enum RuntimeThreads {
    /// 0: not set (use the environment or all cores).
    private static let override = Atomic<Int>(0)

    /// ARCHSYNTH_THREADS when set (a positive integer), otherwise the online cores.
    /// A set but malformed value traps with a message naming it (`environmentValue` parses it).
    public static let environmentDefault: Int = {
        let text = getenv("ARCHSYNTH_THREADS").map { String(cString: $0) }
        switch environmentValue(text) {
        case let .success(n?): return n
        case .success(nil): return onlineCores
        case let .failure(message): fatalError(message.text)
        }
    }()

    /// A message for a malformed ARCHSYNTH_THREADS.
    public struct Malformed: Error, CustomStringConvertible, Sendable {
        /// The message, naming the malformed value.
        public let text: String
        /// The message (`text`).
        public var description: String { text }
    }

    /// nil for an unset or empty variable, the count for a positive integer (at most 4096),
    /// otherwise an error naming the value.
    public static func environmentValue(_ text: String?) -> Result<Int?, Malformed> {
        guard let text, !text.isEmpty else { return .success(nil) }
        guard let n = Int(text), (1...4096).contains(n) else {
            return .failure(Malformed(text: "ARCHSYNTH_THREADS must be a whole number of threads between 1 and 4096, not \"\(text)\""))
        }
        return .success(n)
    }

    /// The processors online (at least 1).
    public static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The runtime-wide thread count: the value set last, else `environmentDefault`. Setting 0
    /// returns to the default.
    public static var count: Int {
        get {
            let n = override.load(ordering: .relaxed)
            return n > 0 ? n : environmentDefault
        }
        set {
            precondition(newValue >= 0, "RuntimeThreads.count: \(newValue) threads")
            override.store(newValue, ordering: .relaxed)
        }
    }

    /// `threads` when given (at least 1), else `count`.
    @inlinable public static func resolve(_ threads: Int?) -> Int {
        if let threads {
            precondition(threads >= 1, "threads: \(threads); give at least 1")
            return threads
        }
        return count
    }

    /// Marks the threads that are running a chunk, so that nested loops stay serial.
    private static let insideKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        precondition(status == 0, "RuntimeThreads: pthread_key_create failed (\(status))")
        return key
    }()

    /// Whether the calling thread is inside a parallel loop of the runtime.
    public static var isInsideParallelLoop: Bool { pthread_getspecific(insideKey) != nil }

    /// Calls `body` with contiguous chunks of 0..<n, at most `threads` (default `count`) at
    /// once; chunk t of T is t·n/T ..< (t+1)·n/T, T = min(threads, n). Serial when one thread is
    /// asked for, when n < 2, or inside another parallel loop. Loops that `body` starts run
    /// serially (so `threads: 1` means one thread all the way down). `body` must only write to
    /// memory no other chunk touches. Safe to call from several threads at once (one loop holds
    /// the worker pool, the others run on Dispatch's threads).
    /// - Complexity: `body`'s cost over the threads, plus the fork and join: about 0.3 µs when the
    ///   pool's workers are awake, a few µs when they sleep.
    public static func forEachChunk(_ n: Int, threads: Int? = nil, _ body: (Range<Int>) -> Void) {
        if isInsideParallelLoop {
            if n > 0 { body(0..<n) }
            return
        }
        let t = min(resolve(threads), n)
        if t <= 1 {
            guard n > 0 else { return }
            pthread_setspecific(insideKey, UnsafeRawPointer(bitPattern: 1))
            body(0..<n)
            pthread_setspecific(insideKey, nil)
            return
        }
        let ran = WorkerPool.shared.tryRun(n, chunks: t, mark: { pthread_setspecific(insideKey, $0 ? UnsafeRawPointer(bitPattern: 1) : nil) }, body)
        if !ran { dispatchChunks(n, chunks: t, body) }
    }

    /// The chunks of `forEachChunk` on Dispatch's threads (`concurrentPerform`): the path when the
    /// worker pool runs another thread's loop.
    private static func dispatchChunks(_ n: Int, chunks t: Int, _ body: (Range<Int>) -> Void) {
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: t) { chunk in
                let previous = pthread_getspecific(insideKey)
                pthread_setspecific(insideKey, UnsafeRawPointer(bitPattern: 1))
                shared.value(chunk * n / t..<(chunk + 1) * n / t)
                pthread_setspecific(insideKey, previous)
            }
        }
    }

    /// Marks a worker thread of the pool as inside a parallel loop for good.
    static func markWorkerThread() {
        pthread_setspecific(insideKey, UnsafeRawPointer(bitPattern: 1))
    }

    /// [body(0), body(1), …, body(n − 1)], computed in parallel chunks (see `forEachChunk`).
    public static func map<R>(_ n: Int, threads: Int? = nil, _ body: (Int) -> R) -> [R] {
        [R](unsafeUninitializedCapacity: n) { buffer, initialized in
            let base = UncheckedBox(buffer.baseAddress)
            forEachChunk(n, threads: threads) { range in
                for i in range { (base.value! + i).initialize(to: body(i)) }
            }
            initialized = n
        }
    }
}

/// A value handed to the chunks of one parallel loop, which use it in disjoint ways (distinct
/// indices of one buffer, a closure that only reads shared state).
@usableFromInline struct UncheckedBox<V>: @unchecked Sendable {
    @usableFromInline let value: V
    @usableFromInline init(_ value: V) { self.value = value }
}
