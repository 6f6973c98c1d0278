@testable import ArchSynth
import ArchSynthRuntime
import Foundation
import GroupTheory
import XCTest

/// Generated layers and networks on several threads (issue 23 item 1): a dense layer, a closed
/// S_n form, a tied layer, a grid group convolution, a table group convolution run in the group
/// Fourier basis, a factored layer and a network are compiled into
/// one program (`swiftc -Onone -warnings-as-errors`, one compilation for every check), which runs
/// forward, backward and (for the network) a training step on batches of 1, 5, 33, 64 and 160 samples
/// with 1, 2, 3 and 7 threads. Every thread count must give the single-thread result bit for bit,
/// and that result must agree with evaluating the samples one at a time (1e-5 Float, 1e-12
/// Double, relative). The program is then run again with ARCHSYNTH_THREADS=1 and =3 in its
/// environment and no `threads:` argument: the count must reach the runtime, split the batch,
/// and change nothing in the results.
final class GeneratedThreadsTests: XCTestCase {
    /// The models: (type name, file source).
    static func sources() throws -> [(name: String, source: String, strategy: ForwardStrategy?)] {
        let dense = try TestBases.emitter("cyclic:6", "natural^2", "natural^2", name: "ThreadsDense", strategy: .forced(.dense))
        let closed = try TestBases.emitter("symmetric:8", "natural^2", "natural^2", name: "ThreadsClosed")
        let tied = try TestBases.emitter("hyperoctahedral:8", "natural^2", "natural^2", name: "ThreadsTied")
        let conv = try CodeGenConvolutionTests.emitter("cyclic:8 x cyclic:8", "2*regular", "2*regular", name: "ThreadsConv", support: 3)
        let fourier = try CodeGenConvolutionTests.emitter("dihedral:8", "4*regular", "4*regular", name: "ThreadsFourier", support: nil)
        let factored = try TestBases.emitter("symmetric:4", "natural^2", "natural^2", name: "ThreadsFactored", strategy: .forced(.factored))
        let s5 = try GroupResolver().resolve("symmetric:5")
        let network = try NetworkDescription.solving(typeName: "ThreadsNet", group: s5, expressions: ["natural", "8*natural", "8*natural", "trivial"])
        let header = GeneratedFileHeader(spec: "symmetric:5", command: "archsynth generate network (test)")
        return [
            ("ThreadsDense", dense.source(), dense.strategy), ("ThreadsClosed", closed.source(), closed.strategy),
            ("ThreadsTied", tied.source(), tied.strategy), ("ThreadsConv", conv.source(), conv.strategy),
            ("ThreadsFourier", fourier.source(), fourier.strategy),
            ("ThreadsFactored", factored.source(), factored.strategy),
            ("ThreadsNet", try NetworkEmitter(network: network, header: header).source(), nil),
        ]
    }

    func testGeneratedModelsGiveTheSameBitsOnEveryThreadCount() throws {
        let models = try Self.sources()
        XCTAssertEqual(models.map(\.strategy), [.dense, .symmetricClosedForm, .tied, .groupConvolution, .groupConvolution, .factored, nil])
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [String] = []
        for m in models {
            let url = dir.appendingPathComponent(m.name + ".swift")
            try m.source.write(to: url, atomically: true, encoding: .utf8)
            files.append(url.path)
        }
        let main = dir.appendingPathComponent("main.swift")
        try Self.program.write(to: main, atomically: true, encoding: .utf8)
        let runtime = try RuntimeModule.build(swiftc: Subprocess.swiftc, optimization: "-O")
        let binary = dir.appendingPathComponent("threads").path
        let compiled = Subprocess.run(
            [Subprocess.swiftc, "-Onone", "-swift-version", "6", "-warnings-as-errors", "-I", runtime.path, "-L", runtime.path]
                + files + [main.path, "-lArchSynthRuntime", "-o", binary],
            in: dir, seconds: 1_200)
        XCTAssertEqual(compiled.status, 0, compiled.output)
        guard compiled.status == 0 else { return }

        func run(_ mode: String, threads: String) throws -> [[String]] {
            let r = Subprocess.run(["env", "ARCHSYNTH_THREADS=\(threads)", binary, mode], in: dir, seconds: 600)
            XCTAssertEqual(r.status, 0, "\(mode), ARCHSYNTH_THREADS=\(threads):\n\(r.output)")
            XCTAssertFalse(r.output.contains("FAIL"), r.output)
            return r.output.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        }
        let names = models.map(\.name)
        let checks = try run("check", threads: "2")
        // Every model, precision and batch size was checked on every thread count (no silent skip).
        let checked = checks.filter { $0.first == "checked" }
        XCTAssertEqual(Set(checked.map { "\($0[1]) \($0[2]) \($0[3])" }).count, names.count * 2 * 5, "\(checked)")
        XCTAssertEqual(checks.filter { $0.first == "trained" }.count, 2, "the network's training step at 33 and 64 samples")
        // The batches were really split, for every model: more than one forward chunk on 7 threads
        // at 33 and 64 samples, more than one gradient block at 160 (the dense, tied and factored
        // layers sum their many coefficients in blocks of 64 or more).
        for name in names {
            for (count, blocks) in [("33", false), ("64", false), ("160", true)] {
                let line = try XCTUnwrap(checks.first { $0.count == 5 && $0[0] == "split" && $0[1] == name && $0[2] == count }, "\(name) \(count)")
                XCTAssertGreaterThan(Int(line[3]) ?? 0, 1, "\(name): forward chunks on 7 threads at \(count) samples")
                if blocks { XCTAssertGreaterThan(Int(line[4]) ?? 0, 1, "\(name): gradient blocks at \(count) samples") }
            }
        }

        // At the default threshold every thread gets at least 24,576 work units (and 2048, a chunk's
        // least), in whole groups of 8 samples: a share is 8 · ⌈24576 / (8 · w)⌉ samples for w units
        // a sample, and a batch runs on min(7, ⌊count / share⌋) threads, at least one. The S_5
        // network counts 5 + 1 + 2 · 80 + (5·40 + 40·40 + 40·1) = 2006 units (inputs, outputs, hidden
        // values twice, each layer's d_i · d_{i+1}) and splits from 32 samples, the batch.
        for name in names {
            for count in [32, 64] {
                let line = try XCTUnwrap(checks.first { $0.count == 6 && $0[0] == "default" && $0[1] == name && $0[2] == "\(count)" }, "\(name) \(count)")
                let w = try XCTUnwrap(Int(line[5])), threads = try XCTUnwrap(Int(line[4]))
                let share = 8 * ((24_576 + 8 * w - 1) / (8 * w))
                XCTAssertEqual(threads, max(1, min(7, count / share)), "\(name): threads for \(count) samples at the default threshold (\(w) units a sample)")
            }
        }
        let net = try XCTUnwrap(checks.first { $0.count == 6 && $0[0] == "default" && $0[1] == "ThreadsNet" && $0[2] == "32" })
        XCTAssertEqual(Int(net[5]), 2006)
        XCTAssertEqual(net[4], "2", "the S_5 network's 32 samples on two threads by default")
        // A grid convolution's work counts each coefficient at every grid point (C_8 × C_8: 64
        // points; 2 → 2 regular channels on 9 offsets: 36 coefficients): 128 inputs + 128 outputs
        // + 36 · 64, not 128 + 128 + 36.
        let conv = try XCTUnwrap(checks.first { $0.count == 6 && $0[0] == "default" && $0[1] == "ThreadsConv" })
        XCTAssertEqual(Int(conv[5]), 128 + 128 + 36 * 64)

        // ARCHSYNTH_THREADS in the environment, no `threads:` argument: the runtime's count follows
        // it, the batch of 64 is split on 3, and the results are those of an explicit `threads: 1`.
        let one = try run("environment", threads: "1"), three = try run("environment", threads: "3")
        XCTAssertEqual(one.first { $0.first == "count" }, ["count", "1"])
        XCTAssertEqual(three.first { $0.first == "count" }, ["count", "3"])
        for name in names {
            let reference = try XCTUnwrap(checks.first { $0.count == 3 && $0[0] == "checksum" && $0[1] == name }, name)
            for (output, threads) in [(one, 1), (three, 3)] {
                let line = try XCTUnwrap(output.first { $0.count == 4 && $0[0] == "checksum" && $0[1] == name }, name)
                XCTAssertEqual(line[2], reference[2], "\(name) with ARCHSYNTH_THREADS=\(threads)")
                XCTAssertEqual(Int(line[3]), threads, "\(name): threads used for 64 samples with ARCHSYNTH_THREADS=\(threads)")
            }
        }
    }

    /// The program: `threads check` runs every comparison, `threads environment` the default-count
    /// passes. Failures print `FAIL` and exit 1.
    static let program = """
        import ArchSynthRuntime
        #if canImport(Glibc)
            import Glibc
        #endif

        nonisolated(unsafe) var failures = 0
        func fail(_ message: String) { print("FAIL \\(message)"); failures += 1 }

        struct Rng {
            var s: UInt64
            mutating func next() -> Double { s = s &* 6364136223846793005 &+ 1442695040888963407; return Double(s >> 11) * 0x1p-53 * 2 - 1 }
            mutating func values(_ n: Int) -> [Double] { (0..<n).map { _ in next() } }
        }

        /// The bit patterns of an array, so that == sees −0 ≠ +0.
        func bits<S: BinaryFloatingPoint>(_ a: [S]) -> [UInt64] { a.map { Double($0).bitPattern } }
        func hash(_ words: [UInt64], into h: inout UInt64) { for w in words { h = (h ^ w) &* 0x100000001b3 } }

        /// max |a − b| / scale (scale: the largest entry of `scale`, at least 1e-30).
        func relative<S: BinaryFloatingPoint>(_ a: [S], _ b: [Double], scale: [Double]) -> Double {
            guard a.count == b.count else { return .infinity }
            var worst = 0.0
            for i in 0..<a.count { worst = max(worst, abs(Double(a[i]) - b[i])) }
            return worst / max(1e-30, scale.map(abs).max() ?? 0)
        }

        typealias Gradient<S> = (weights: [S], bias: [S], input: [S])

        /// A model's batch passes in one precision, `threads` nil for the default.
        struct Passes<S: BinaryFloatingPoint> {
            let inputDimension: Int, outputDimension: Int
            let forward: ([S], Int, Int?) -> [S]
            let backward: ([S], [S], Int, Int?) -> Gradient<S>
        }

        func check<S: BinaryFloatingPoint>(_ name: String, _ p: Passes<S>, tolerance: Double, seed: UInt64) {
            var rng = Rng(s: seed)
            for count in [1, 5, 33, 64, 160] {
                let x = rng.values(count * p.inputDimension).map { S($0) }, dy = rng.values(count * p.outputDimension).map { S($0) }
                let y1 = p.forward(x, count, 1), g1 = p.backward(x, dy, count, 1)
                for t in [2, 3, 7] {
                    let y = p.forward(x, count, t), g = p.backward(x, dy, count, t)
                    if bits(y) != bits(y1) { fail("\\(name) \\(S.self) forward, \\(count) samples, \\(t) threads: not the bits of 1 thread") }
                    if bits(g.weights) != bits(g1.weights) || bits(g.bias) != bits(g1.bias) || bits(g.input) != bits(g1.input) {
                        fail("\\(name) \\(S.self) backward, \\(count) samples, \\(t) threads: not the bits of 1 thread")
                    }
                }
                // One sample at a time: outputs and input gradients per sample, parameter gradients
                // summed in Double (the scale of a sum's error is the sum of its terms' magnitudes).
                var yRef: [Double] = [], dxRef: [Double] = []
                var w = [Double](repeating: 0, count: g1.weights.count), wScale = w, b = [Double](repeating: 0, count: g1.bias.count), bScale = b
                for n in 0..<count {
                    let xn = Array(x[n * p.inputDimension..<(n + 1) * p.inputDimension]), dyn = Array(dy[n * p.outputDimension..<(n + 1) * p.outputDimension])
                    yRef += p.forward(xn, 1, 1).map { Double($0) }
                    let g = p.backward(xn, dyn, 1, 1)
                    dxRef += g.input.map { Double($0) }
                    for k in 0..<w.count { w[k] += Double(g.weights[k]); wScale[k] += abs(Double(g.weights[k])) }
                    for k in 0..<b.count { b[k] += Double(g.bias[k]); bScale[k] += abs(Double(g.bias[k])) }
                }
                for (label, error) in [
                    ("forward", relative(y1, yRef, scale: yRef)), ("weight gradient", relative(g1.weights, w, scale: wScale)),
                    ("bias gradient", relative(g1.bias, b, scale: bScale)), ("input gradient", relative(g1.input, dxRef, scale: dxRef)),
                ] where !(error <= tolerance) {
                    fail("\\(name) \\(S.self) \\(label), \\(count) samples: \\(error) from one sample at a time (tolerance \\(tolerance))")
                }
                print("checked\\t\\(name)\\t\\(S.self)\\t\\(count)")
            }
        }

        /// What the checks need of a generated layer or network (both have it from the runtime).
        protocol Batched: GeneratedEquivariantModel {
            static var _workPerSample: Int { get }
            static func _gradientBlocks(count: Int) -> [Range<Int>]
            func forward(batch: [Float], count: Int, threads: Int?) -> [Float]
            func forward(batch: [Double], count: Int, threads: Int?) -> [Double]
            func backward(batch: [Float], outputGradient: [Float], count: Int, threads: Int?) -> Gradient<Float>
            func backward(batch: [Double], outputGradient: [Double], count: Int, threads: Int?) -> Gradient<Double>
        }
        extension ThreadsDense: Batched {}
        extension ThreadsClosed: Batched {}
        extension ThreadsTied: Batched {}
        extension ThreadsConv: Batched {}
        extension ThreadsFourier: Batched {}
        extension ThreadsFactored: Batched {}
        extension ThreadsNet: Batched {}

        struct Model {
            let name: String, float: Passes<Float>, double: Passes<Double>, workPerSample: Int, blocks: (Int) -> Int
            init<M: Batched>(_ m: M) {
                name = "\\(M.self)"
                float = Passes(inputDimension: M.inputDimension, outputDimension: M.outputDimension,
                               forward: { m.forward(batch: $0, count: $1, threads: $2) },
                               backward: { m.backward(batch: $0, outputGradient: $1, count: $2, threads: $3) })
                double = Passes(inputDimension: M.inputDimension, outputDimension: M.outputDimension,
                                forward: { m.forward(batch: $0, count: $1, threads: $2) },
                                backward: { m.backward(batch: $0, outputGradient: $1, count: $2, threads: $3) })
                workPerSample = M._workPerSample
                blocks = { M._gradientBlocks(count: $0).count }
            }
        }

        func randomModel<M: GeneratedEquivariantModel>(_: M.Type, seed: UInt64) -> M {
            var rng = Rng(s: seed)
            return M(weights: rng.values(M.weightCount).map { Float($0) }, bias: rng.values(M.biasCount).map { Float($0 / 4) })
        }

        let models = [
            Model(randomModel(ThreadsDense.self, seed: 1)), Model(randomModel(ThreadsClosed.self, seed: 2)),
            Model(randomModel(ThreadsTied.self, seed: 3)), Model(randomModel(ThreadsConv.self, seed: 4)),
            Model(randomModel(ThreadsFourier.self, seed: 9)),
            Model(randomModel(ThreadsFactored.self, seed: 5)), Model(ThreadsNet(seed: 6)),
        ]

        /// Forward and backward of 64 samples in both precisions with the default thread count,
        /// as one hash of their bits.
        func checksum(_ m: Model, threads: Int?) -> String {
            var rng = Rng(s: 99)
            var h: UInt64 = 0xcbf29ce484222325
            let x = rng.values(64 * m.double.inputDimension), dy = rng.values(64 * m.double.outputDimension)
            let xf = x.map { Float($0) }, dyf = dy.map { Float($0) }
            hash(bits(m.float.forward(xf, 64, threads)), into: &h)
            let gf = m.float.backward(xf, dyf, 64, threads)
            hash(bits(gf.weights) + bits(gf.bias) + bits(gf.input), into: &h)
            hash(bits(m.double.forward(x, 64, threads)), into: &h)
            let gd = m.double.backward(x, dy, 64, threads)
            hash(bits(gd.weights) + bits(gd.bias) + bits(gd.input), into: &h)
            return String(h, radix: 16)
        }

        // With the default threshold: gradient blocks and threads for 32 and 64 samples.
        for m in models {
            for count in [32, 64] {
                print("default\\t\\(m.name)\\t\\(count)\\t\\(m.blocks(count))\\t\\(GeneratedBatchSplit.threads(7, count: count, workPerSample: m.workPerSample))\\t\\(m.workPerSample)")
            }
        }
        // These test models are small; with the least threshold every batch here of 33 samples or more splits.
        GeneratedBatchSplit.minimumThreadWork = GeneratedBatchSplit.minimumChunkWork
        if CommandLine.arguments.dropFirst().first == "environment" {
            print("count\\t\\(RuntimeThreads.count)")
            for m in models {
                print("checksum\\t\\(m.name)\\t\\(checksum(m, threads: nil))\\t\\(GeneratedBatchSplit.threads(nil, count: 64, workPerSample: m.workPerSample))")
            }
        } else {
            for (i, m) in models.enumerated() {
                check(m.name, m.float, tolerance: 1e-5, seed: 100 + UInt64(i))
                check(m.name, m.double, tolerance: 1e-12, seed: 200 + UInt64(i))
                for count in [33, 64, 160] { print("split\\t\\(m.name)\\t\\(count)\\t\\(GeneratedBatchSplit.threads(7, count: count, workPerSample: m.workPerSample))\\t\\(m.blocks(count))") }
                print("checksum\\t\\(m.name)\\t\\(checksum(m, threads: 1))")
            }
            // The network's training step: the same loss and parameters on every thread count, and
            // the loss of one sample at a time.
            for count in [33, 64] {
                var rng = Rng(s: 7)
                let x = rng.values(count * ThreadsNet.inputDimension).map { Float($0) }, targets = rng.values(count).map { Float($0) }
                var results: [[UInt64]] = [], losses: [Float] = []
                for t in [1, 2, 3, 7] {
                    var net = ThreadsNet(seed: 8)
                    losses.append(net.trainStep(batch: x, targets: targets, count: count, learningRate: 0.05, optimizer: .adam, threads: t))
                    results.append(bits([losses[losses.count - 1]] + net.weights + net.bias))
                }
                if Set(results).count != 1 { fail("ThreadsNet training step, \\(count) samples: not the same bits on 1, 2, 3 and 7 threads") }
                let net = ThreadsNet(seed: 8)
                var reference = 0.0
                for n in 0..<count {
                    let y = net.forward(x[n * ThreadsNet.inputDimension..<(n + 1) * ThreadsNet.inputDimension].map { Double($0) })
                    reference += (y[0] - Double(targets[n])) * (y[0] - Double(targets[n])) / Double(count)
                }
                let loss = Double(losses[0])
                if !(abs(loss - reference) <= 1e-5 * reference) { fail("ThreadsNet training loss, \\(count) samples: \\(loss) against \\(reference) one sample at a time") }
                print("trained\\t\\(count)")
            }
        }
        if failures > 0 { exit(1) }
        """
}
