import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The persistent threads behind `RuntimeThreads.forEachChunk`: a fork and join of two chunks
/// in 0.27–0.32 µs back to back, where Dispatch's `concurrentPerform` took 2.6–3.5 µs
/// (`Benchmarks/generation/results/forkjoin-2026-12-07.txt`).
///
/// One job at a time (`tryRun` returns false while another thread's job runs, and the caller
/// falls back to Dispatch). A job of T chunks is published in one atomic word, the *ticket*:
/// generation (32 bits) | T (16 bits) | next unclaimed chunk (16 bits). The calling thread runs
/// chunk 0 itself (the ticket starts at chunk 1), then claims chunks like any worker, by a
/// compare-and-exchange that moves `next` from c to c + 1 only while c < T and the generation is
/// the job's; then it waits until `finished` counts T chunks. Workers are created lazily (the
/// pool grows to the largest T − 1 asked for, at most `maximumWorkers`), are detached (the process
/// exits without joining them), and mark themselves inside a parallel loop for good, so loops in
/// their chunks run serially. After a job a worker spins on the ticket for `spinNanoseconds`,
/// then parks on a condition variable: an idle process burns no CPU.
///
/// Why it cannot deadlock or hang: the caller claims every chunk that no worker claimed, so the
/// only wait is `finished == T`, on chunks that were claimed, and a claimed chunk is being run by
/// a thread that is awake. A worker that sleeps through a job (a lost wake-up) costs speed, never
/// completion. Why a stale worker never runs the wrong job: a claim succeeds only on the exact
/// ticket (generation included), and `finished` cannot reach T while a claimed chunk is running,
/// so the job's closure and count (written before the ticket, read after a successful claim:
/// release then acquire) stay valid until the caller clears them. Wake-ups are not lost either:
/// a worker parks under `lock`, after adding itself to `sleepers` and re-reading the ticket;
/// the caller stores the ticket, then reads `sleepers` (both sequentially consistent). Either
/// the worker's increment comes first in that order, so the caller sees a sleeper and takes
/// `lock`, which it can do only once the worker waits (a worker holds `lock` from its increment
/// until `pthread_cond_wait` releases it), and signals after releasing it, while the worker still
/// waits or has seen the new ticket; or the caller's read comes first, so the ticket store
/// precedes the worker's re-read, which sees the new generation and does not park. The
/// generation wraps after 2³² jobs; a worker would need to stall between reading a ticket and its
/// claim for exactly that many jobs to claim a wrong chunk. While a worker runs a longer chunk than
/// the caller's, the caller polls `finished`, yielding its core after 1000 polls.
final class WorkerPool: @unchecked Sendable {
    /// The pool of the process.
    static let shared = WorkerPool()

    /// At most this many workers (with the caller: 4096 threads, as ARCHSYNTH_THREADS allows).
    static let maximumWorkers = 4095
    /// Jobs of more chunks than the ticket's 16 bits can count go to Dispatch.
    static let maximumChunks = 0xFFFF
    /// How long a worker waits for the next job, spinning, before it parks: 50 µs, longer than the
    /// serial steps between the loops of one pass (the network's backward pass runs 2–4 loops).
    static let spinNanoseconds = 50_000

    /// One job at a time: set by `tryRun` while a job is being published, run and joined.
    private let busy = Atomic<Bool>(false)
    /// generation << 32 | chunks << 16 | next chunk.
    private let ticket = Atomic<UInt64>(0)
    /// Chunks of the current job that have finished.
    private let finished = Atomic<Int>(0)
    /// Workers inside `pthread_cond_wait` or about to be (changed under `lock`).
    private let sleepers = Atomic<Int>(0)
    /// Workers created (changed only by the job's owner, under `busy`).
    private var workers = 0

    /// The current job: its body and index count (written by the owner before the ticket).
    private var body: ((Range<Int>) -> Void)?
    private var count = 0

    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>

    private init() {
        lock = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
    }

    @inline(__always) private static func generation(_ t: UInt64) -> UInt64 { t >> 32 }
    @inline(__always) private static func chunks(_ t: UInt64) -> Int { Int((t >> 16) & 0xFFFF) }
    @inline(__always) private static func next(_ t: UInt64) -> Int { Int(t & 0xFFFF) }

    /// Runs `body` on chunk c of `chunks` (c·n/chunks ..< (c+1)·n/chunks) for every c, chunk 0 on
    /// the calling thread, and returns true; returns false at once, without running anything,
    /// when another job holds the pool or `chunks` exceeds `maximumChunks`. The caller marks
    /// itself inside a parallel loop (`mark`) while it runs chunks.
    /// - Complexity: `body`'s cost over the threads, plus a few µs to publish and join.
    func tryRun(_ n: Int, chunks t: Int, mark: (Bool) -> Void, _ body: (Range<Int>) -> Void) -> Bool {
        precondition(t >= 2, "WorkerPool.tryRun: \(t) chunks")
        guard t <= Self.maximumChunks,
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        defer { busy.store(false, ordering: .releasing) }
        grow(to: Swift.min(t - 1, Self.maximumWorkers))
        withoutActuallyEscaping(body) { body in
            self.body = body
            count = n
            finished.store(0, ordering: .relaxed)
            let old = ticket.load(ordering: .relaxed)
            let start = (Self.generation(old) &+ 1) << 32 | UInt64(t) << 16 | 1
            ticket.store(start, ordering: .sequentiallyConsistent)
            wakeSleepers(upTo: t - 1)
            mark(true)
            body(0..<n / t)
            var done = 1
            var current = start
            while true {  // help: claim the chunks no worker took yet
                let c = Self.next(current)
                guard c < t else { break }
                let (exchanged, seen) = ticket.compareExchange(
                    expected: current, desired: current + 1, ordering: .relaxed)
                if exchanged {
                    body(c * n / t..<(c + 1) * n / t)
                    done += 1
                    current += 1
                } else {
                    current = seen
                }
            }
            mark(false)
            finished.add(done, ordering: .relaxed)
            var spins = 0
            while finished.load(ordering: .acquiring) < t {
                spins += 1
                if spins > 1000 { sched_yield() }
            }
            self.body = nil
        }
        return true
    }

    /// Signals up to `k` parked workers (see the ordering argument above). The signals follow the
    /// unlock, so that a woken worker does not block at once on the mutex the caller still holds.
    private func wakeSleepers(upTo k: Int) {
        guard sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        pthread_mutex_lock(lock)
        let waiting = Swift.min(k, sleepers.load(ordering: .relaxed))
        pthread_mutex_unlock(lock)
        for _ in 0..<waiting { pthread_cond_signal(wake) }
    }

    /// Starts workers until there are `k` (called by the job's owner before it publishes).
    private func grow(to k: Int) {
        while workers < k {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(WorkerStart(pool: self, generation: Self.generation(ticket.load(ordering: .relaxed))))
            let status = pthread_create(&thread, nil, { raw in
                let start = Unmanaged<WorkerStart>.fromOpaque(raw!).takeRetainedValue()
                start.pool.work(seen: start.generation)
            }, context.toOpaque())
            guard status == 0 else {
                context.release()
                return  // fewer workers: the caller runs the chunks no worker claims
            }
            pthread_detach(thread)
            workers += 1
        }
    }

    /// A worker's life: wait for a ticket of a new generation, claim and run its chunks, repeat.
    private func work(seen start: UInt64) -> Never {
        RuntimeThreads.markWorkerThread()
        var seen = start
        while true {
            var current = waitForJob(after: seen)
            seen = Self.generation(current)
            while true {
                let c = Self.next(current), t = Self.chunks(current)
                guard c < t, Self.generation(current) == seen else { break }
                let (exchanged, now) = ticket.compareExchange(
                    expected: current, desired: current + 1, ordering: .acquiring)
                guard exchanged else {
                    current = now
                    continue
                }
                let n = count
                body.unsafelyUnwrapped(c * n / t..<(c + 1) * n / t)
                finished.add(1, ordering: .releasing)
                current += 1
            }
        }
    }

    /// The first ticket whose generation is not `seen`: spinning `spinNanoseconds`, then parked.
    private func waitForJob(after seen: UInt64) -> UInt64 {
        let deadline = Self.now() + Self.spinNanoseconds
        while true {
            for _ in 0..<64 {
                let t = ticket.load(ordering: .acquiring)
                if Self.generation(t) != seen { return t }
            }
            if Self.now() > deadline { break }
        }
        pthread_mutex_lock(lock)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        var t = ticket.load(ordering: .sequentiallyConsistent)
        while Self.generation(t) == seen {
            pthread_cond_wait(wake, lock)
            t = ticket.load(ordering: .sequentiallyConsistent)
        }
        sleepers.subtract(1, ordering: .relaxed)
        pthread_mutex_unlock(lock)
        return t
    }

    /// Monotonic clock in nanoseconds.
    private static func now() -> Int {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return t.tv_sec * 1_000_000_000 + t.tv_nsec
    }
}

/// What a new worker thread starts from.
private final class WorkerStart {
    let pool: WorkerPool
    let generation: UInt64
    init(pool: WorkerPool, generation: UInt64) {
        self.pool = pool
        self.generation = generation
    }
}
