import Synchronization

/// How a generated layer or network splits a batch across threads (`RuntimeThreads`).
///
/// Two splits, both over contiguous samples:
/// - Forward passes (and input gradients) go in *chunks*, one per thread: every sample's
///   arithmetic is the same wherever its chunk starts (the kernels work on each sample, or on
///   each SIMD lane of a panel, alone; only the parameter gradient sums across samples), so any
///   chunking gives the same values bit for bit.
/// - Parameter gradients are summed over *blocks* whose size depends on the batch size, the model
///   and `minimumThreadWork`, never on the thread count: each block's sum starts from zero, and the
///   block sums are added in block order, ((g₀ + g₁) + g₂) + …. Each block is worth a thread
///   (`threadSamples`), so a batch no thread count would split is one block: one pass.
///
/// Small batches stay on the calling thread: every thread of a split gets at least
/// `minimumThreadWork` units of work (see `workPerSample`), so a thread is started only when it
/// has enough to do.
///
/// ```swift
/// GeneratedBatchSplit.blockSamples(count: 64, workPerSample: 143, partialSize: 15)   // 176: 64 samples are one block
/// GeneratedBatchSplit.threads(2, count: 64, workPerSample: 143)                       // 1: too little work
/// GeneratedBatchSplit.threads(2, count: 32, workPerSample: 2006)                      // 2 (the S_5 network)
/// ```
public enum GeneratedBatchSplit {
    /// The least work units (values a sample touches, see `workPerSample`) of a forward chunk and
    /// of a gradient block: 16 samples of the S_8 natural² closed form (143 units each), whatever
    /// `minimumThreadWork` is set to.
    public static let minimumChunkWork = 2048

    /// Samples are split in groups of this many (a whole 32-byte vector of Float, two of Double),
    /// so a panel kernel's chunks fill their vectors.
    public static let group = 8

    /// A layer's work per sample: its input and output values and its kernel coefficients
    /// (`d_in + d_out + coefficients`, a lower bound on the arithmetic of every strategy).
    @inlinable public static func workPerSample(input: Int, output: Int, coefficients: Int) -> Int {
        Swift.max(1, input + output + coefficients)
    }

    /// The fewest whole groups of samples holding `units` work units: `group · ⌈units / (group · workPerSample)⌉`,
    /// at least one group (the one rounding rule of the chunk, thread and block sizes).
    /// - Complexity: O(1).
    @inlinable public static func samples(forWork units: Int, workPerSample: Int) -> Int {
        let w = Swift.max(1, workPerSample)
        return group * Swift.max(1, (units + group * w - 1) / (group * w))
    }

    /// The fewest samples of a forward chunk: `minimumChunkWork` units, in whole groups.
    @inlinable public static func chunkSamples(workPerSample: Int) -> Int {
        samples(forWork: minimumChunkWork, workPerSample: workPerSample)
    }

    /// The fewest samples worth a thread of their own: `minimumThreadWork` units (and at least
    /// `chunkSamples`), in whole groups.
    @inlinable public static func threadSamples(workPerSample: Int) -> Int {
        Swift.max(chunkSamples(workPerSample: workPerSample), samples(forWork: minimumThreadWork, workPerSample: workPerSample))
    }

    /// The default of `minimumThreadWork`: 24,576 units (3 · 2¹³). A thread's share of the S_5 network
    /// (natural → 8·natural → 8·natural → trivial, 2006 units; about 2 µs a sample on one thread
    /// when the threshold was chosen, 0.3 µs forward and 0.7 µs backward since its activations are
    /// specialized, BENCHMARKS.md "Specialized activations and pooling") is then 16 samples, so the
    /// network splits from 32 samples (two threads then gain 1.2–1.6×, not the 2× of longer shares); the tied B_8
    /// natural² layer (304 units, 0.08 µs a sample) splits from 176 samples and the closed S_8 layer
    /// (143 units) from 352, and 64 samples of either are one gradient block: split at 32–64
    /// samples (shares of 1–11 µs) they ran 0.12–1.3× as fast on two threads with the worker pool,
    /// below 1× in most rounds (`results/threads-pool-split-2026-12-07.txt`,
    /// `results/threads-pool-2026-12-07-threshold4096.txt`, load 1.9–2.9 on 2 cores). Dense C_16
    /// natural² (66,048 units) splits from 16 samples. The pool under `RuntimeThreads` forks and
    /// joins two chunks in 0.27–0.32 µs when its workers are awake and 3.6–6.3 µs when they sleep,
    /// where Dispatch took 2.6–3.5 µs and 8.5–20 µs (`Benchmarks/generation/results/forkjoin-2026-12-07.txt`); with Dispatch the
    /// default was 2²¹ units and two threads made the S_5 network 0.61–1.0× as fast on a quiet
    /// machine (`results/threads-quiet-2026-12-07.txt`). Measurements: BENCHMARKS.md, "Generated
    /// layers and networks on two threads".
    public static let defaultMinimumThreadWork = 24_576

    private static let thresholdStore = Atomic<Int>(defaultMinimumThreadWork)

    /// Work units every thread of a split must get (default `defaultMinimumThreadWork`): batches
    /// with less work per thread run on fewer threads, down to the calling one. It also sizes the
    /// gradient blocks (`blockSamples`), so changing it may change the last bits of a parameter
    /// gradient (the order of a sum); the thread count never does. Setting a value below 1 traps.
    public static var minimumThreadWork: Int {
        get { thresholdStore.load(ordering: .relaxed) }
        set {
            precondition(newValue >= 1, "GeneratedBatchSplit.minimumThreadWork: \(newValue); give at least 1")
            thresholdStore.store(newValue, ordering: .relaxed)
        }
    }

    /// The threads a batch of `count` samples runs on: `threads` (default `RuntimeThreads.count`),
    /// at most one per `threadSamples` samples, at least 1.
    public static func threads(_ threads: Int?, count: Int, workPerSample: Int) -> Int {
        Swift.max(1, Swift.min(RuntimeThreads.resolve(threads), count / threadSamples(workPerSample: workPerSample)))
    }

    /// Samples per gradient block for a batch of `count`: at least `threadSamples` (a block is worth
    /// a thread, so a batch that no thread count would split is one block: one kernel call over the
    /// whole batch, as before the split existed), at least `64 · partialSize / workPerSample` (a block
    /// rewrites its `partialSize` sums, which the dense layer's weight-gradient product reads and
    /// writes once per call: that costs little only next to 64 samples' work; blocks of 32 made the
    /// dense C16 layer's backward pass on 64 samples 1.1–2.3× slower on one thread per round,
    /// `Benchmarks/generation/results/threads-2026-12-07-partial32.txt`), and at most 16 blocks;
    /// whole groups. It depends on the batch size, the model and `minimumThreadWork`, never on the
    /// thread count. With the default threshold a tied B_8 natural² layer (304 units a sample) sums
    /// 64 samples in one block (two blocks of 32 made its backward pass 1.13–1.16× slower than one
    /// pass, BENCHMARKS.md), and the S_5 network (2006 units) 32 samples in 2 blocks and 64 in 4;
    /// at `minimumThreadWork = 2048`, 64 samples of the S_8 closed form (143 units) give 4 blocks of 16.
    /// - Complexity: O(1).
    @inlinable public static func blockSamples(count: Int, workPerSample: Int, partialSize: Int) -> Int {
        let w = Swift.max(1, workPerSample)
        let groups = Swift.max(
            threadSamples(workPerSample: w) / group, (64 * partialSize + group * w - 1) / (group * w), (count + 16 * group - 1) / (16 * group))
        return group * groups
    }

    /// The gradient blocks of a batch: 0..<b, b..<2b, … (the last may be shorter); none for an empty batch.
    @inlinable public static func blocks(count: Int, workPerSample: Int, partialSize: Int) -> [Range<Int>] {
        let b = blockSamples(count: count, workPerSample: workPerSample, partialSize: partialSize)
        return stride(from: 0, to: count, by: b).map { $0..<Swift.min($0 + b, count) }
    }

    /// Calls `body` with contiguous ranges of samples tiling 0..<count, one per thread
    /// (`threads(_:count:workPerSample:)` of them, every boundary but the last a multiple of `group`),
    /// on the calling thread when one is enough. Like every `RuntimeThreads` loop, loops that
    /// `body` starts run serially. `body` must write only memory of its own samples.
    /// - Complexity: `body`'s cost, divided across the threads.
    @inlinable public static func forEachChunk(count: Int, workPerSample: Int, threads: Int?, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let t = Self.threads(threads, count: count, workPerSample: workPerSample)
        let groups = (count + group - 1) / group
        RuntimeThreads.forEachChunk(groups, threads: t) { g in
            body(g.lowerBound * group..<Swift.min(g.upperBound * group, count))
        }
    }

    /// `total[k] += partials[b · n + k]` for b = 0, 1, … in order, for every k < n = `total.count`:
    /// each sum in block order whatever the thread count; the coefficients are split across up to
    /// `threads` threads when there are enough of them.
    /// - Complexity: O(partials.count).
    @inlinable public static func addInOrder<S: GeneratedScalar>(_ partials: [S], to total: inout [S], threads: Int) {
        let n = total.count
        guard n > 0, !partials.isEmpty else { return }
        precondition(partials.count % n == 0, "GeneratedBatchSplit.addInOrder: \(partials.count) partial sums for \(n) values")
        let blocks = partials.count / n
        let t = Swift.max(1, Swift.min(threads, partials.count / minimumChunkWork))
        total.withUnsafeMutableBufferPointer { tp in
            partials.withUnsafeBufferPointer { pp in
                let t0 = tp.baseAddress!, p0 = pp.baseAddress!
                RuntimeThreads.forEachChunk(n, threads: t) { r in
                    for b in 0..<blocks {
                        let row = p0 + b * n
                        for k in r { t0[k] += row[k] }
                    }
                }
            }
        }
    }
}
