import ArchSynth
import ArchSynthRuntime
import GroupTheory
import XCTest

/// The runtime's steerable lattice convolution (issue 21, generated layers): the fast kernel
/// against the solver's reference `apply` (direct loops), its gradients against finite
/// differences and the adjoint identity, and its law over every translation × point element
/// enumerated directly, with a negative control beside each positive check.
final class LatticeConvolutionLayerTests: XCTestCase {
    typealias S = SolverTestSupport

    static let cases: [(spec: String, input: String, output: String, support: Int)] = [
        ("wallpaper:p4m:6x6", "field(trivial)", "2*field(regular)", 3),
        ("wallpaper:p4:6x6", "2*field(regular)", "3*field(regular)", 3),
        ("wallpaper:p6m:5x5", "field(point)", "2*field(pointRegular + pointSign)", 3),
        ("wallpaper:pmm:4x6", "field(pointRegular)", "field(point)", 3),
        ("space:Oh:3x3x3", "field(trivial + pointSign)", "2*field(point)", 3),
        // 5×5 stencils: rows of 7 points (not a multiple of the product's 6-point blocks), and
        // runs of 5 · 32 values split into pieces and chunks of the im2col row.
        ("wallpaper:p4:7x7", "4*field(regular)", "3*field(regular)", 5),
        ("wallpaper:p4m:5x5", "4*field(regular)", "2*field(regular)", 5),
    ]

    func convolution(_ c: (spec: String, input: String, output: String, support: Int)) throws -> LatticeConvolution {
        try LatticeConvolution(
            group: try S.group(c.spec), input: try RepresentationExpression(parsing: c.input), output: try RepresentationExpression(parsing: c.output),
            support: c.support)
    }

    func random(_ n: Int, _ rng: inout RuntimeRandom) -> [Double] { (0..<n).map { _ in rng.uniform(-1, 1) } }

    /// Batched Double and Float passes agree with the reference loops sample by sample.
    func testFastKernelMatchesReferenceLoops() throws {
        var rng = RuntimeRandom(seed: 21)
        for c in Self.cases {
            let conv = try convolution(c)
            let node = conv.runtimeNode()
            let theta = random(conv.weightCount, &rng), beta = random(conv.biasCount, &rng)
            let x = random(3 * node.input.dimension, &rng)
            let y = node.forward(batch: x, count: 3, kernel: node.kernel(weights: theta, bias: beta))
            let yf = node.forward(batch: x.map(Float.init), count: 3, kernel: node.kernel(weights: theta.map(Float.init), bias: beta.map(Float.init)))
            for s in 0..<3 {
                let reference = conv.apply(theta: theta, bias: beta, to: Array(x[(s * node.input.dimension)..<((s + 1) * node.input.dimension)]))
                let fast = Array(y[(s * node.output.dimension)..<((s + 1) * node.output.dimension)])
                let fastF = yf[(s * node.output.dimension)..<((s + 1) * node.output.dimension)].map(Double.init)
                XCTAssertLessThan(Law.relativeError(fast, reference), 1e-13, "\(c.spec) \(c.input) → \(c.output) sample \(s)")
                XCTAssertLessThan(Law.relativeError(fastF, reference), 1e-5, "\(c.spec) Float sample \(s)")
            }
        }
    }

    /// The layer is linear in θ, β and x, so central differences are exact up to rounding: each
    /// checked coordinate of dθ and dβ, and the adjoint identity ⟨dy, L x⟩ = ⟨Lᵀ dy, x⟩ for the input
    /// gradient (bias zero).
    func testGradientsAgainstFiniteDifferences() throws {
        var rng = RuntimeRandom(seed: 7)
        for c in Self.cases {
            let conv = try convolution(c)
            XCTAssertGreaterThan(conv.weightCount, 0, "\(c.spec) \(c.input) → \(c.output) has weights")
            let node = conv.runtimeNode()
            let theta = random(conv.weightCount, &rng), beta = random(conv.biasCount, &rng)
            let x = random(2 * node.input.dimension, &rng), dy = random(2 * node.output.dimension, &rng)
            let g = node.backward(batch: x, outputGradient: dy, count: 2, kernel: node.kernel(weights: theta, bias: beta))
            func loss(_ t: [Double], _ b: [Double], _ x: [Double]) -> Double {
                zip(node.forward(batch: x, count: 2, kernel: node.kernel(weights: t, bias: b)), dy).reduce(0) { $0 + $1.0 * $1.1 }
            }
            let h = 1e-3
            for j in Set((0..<6).map { _ in Int(rng.next() % UInt64(conv.weightCount)) }).sorted() {
                var tp = theta, tm = theta
                tp[j] += h
                tm[j] -= h
                let fd = (loss(tp, beta, x) - loss(tm, beta, x)) / (2 * h)
                XCTAssertEqual(g.weights[j], fd, accuracy: 1e-8 * max(1, abs(fd)), "\(c.spec) dθ[\(j)]")
            }
            for j in 0..<conv.biasCount {
                var bp = beta, bm = beta
                bp[j] += h
                bm[j] -= h
                let fd = (loss(theta, bp, x) - loss(theta, bm, x)) / (2 * h)
                XCTAssertEqual(g.bias[j], fd, accuracy: 1e-8 * max(1, abs(fd)), "\(c.spec) dβ[\(j)]")
            }
            let zero = [Double](repeating: 0, count: conv.biasCount)
            let lhs = loss(theta, zero, x), rhs = zip(g.input, x).reduce(0) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-11 * max(1, abs(lhs)), "\(c.spec) adjoint")
            // Float gradients agree with Double ones.
            let gf = node.backward(batch: x.map(Float.init), outputGradient: dy.map(Float.init), count: 2, kernel: node.kernel(weights: theta.map(Float.init), bias: beta.map(Float.init)))
            XCTAssertLessThan(Law.relativeError(gf.weights.map(Double.init), g.weights), 1e-4, "\(c.spec) Float dθ")
            XCTAssertLessThan(Law.relativeError(gf.input.map(Double.init), g.input), 1e-4, "\(c.spec) Float dx")
        }
    }

    /// Splitting a batch over threads changes no bit (DESIGN "Threads"): each sample's arithmetic
    /// is the same on any thread, and the weight gradient sums the samples in order. A sample's
    /// output in a batch is also bit for bit its output alone. Float and Double, 1, 2 and 3 threads.
    func testThreadCountsGiveIdenticalResults() throws {
        var rng = RuntimeRandom(seed: 11)
        let conv = try convolution(("wallpaper:p4:7x7", "4*field(regular)", "3*field(regular)", 5))
        let node = conv.runtimeNode()
        let theta = random(conv.weightCount, &rng), beta = random(conv.biasCount, &rng)
        let count = 5, din = node.input.dimension, dout = node.output.dimension
        let x = random(count * din, &rng), dy = random(count * dout, &rng)
        let k = node.kernel(weights: theta, bias: beta)
        let kf = node.kernel(weights: theta.map(Float.init), bias: beta.map(Float.init))
        let xf = x.map(Float.init), dyf = dy.map(Float.init)
        let y = node.forward(batch: x, count: count, kernel: k, threads: 1)
        let yf = node.forward(batch: xf, count: count, kernel: kf, threads: 1)
        let g = node.backward(batch: x, outputGradient: dy, count: count, kernel: k, threads: 1)
        let gf = node.backward(batch: xf, outputGradient: dyf, count: count, kernel: kf, threads: 1)
        for t in [2, 3] {
            XCTAssertEqual(node.forward(batch: x, count: count, kernel: k, threads: t), y, "Double forward, \(t) threads")
            XCTAssertEqual(node.forward(batch: xf, count: count, kernel: kf, threads: t), yf, "Float forward, \(t) threads")
            let gt = node.backward(batch: x, outputGradient: dy, count: count, kernel: k, threads: t)
            XCTAssertEqual(gt.weights, g.weights, "Double dθ, \(t) threads")
            XCTAssertEqual(gt.bias, g.bias, "Double dβ, \(t) threads")
            XCTAssertEqual(gt.input, g.input, "Double dx, \(t) threads")
            let gft = node.backward(batch: xf, outputGradient: dyf, count: count, kernel: kf, threads: t)
            XCTAssertEqual(gft.weights, gf.weights, "Float dθ, \(t) threads")
            XCTAssertEqual(gft.input, gf.input, "Float dx, \(t) threads")
        }
        for s in 0..<count {
            let alone = node.forward(batch: Array(x[(s * din)..<((s + 1) * din)]), count: 1, kernel: k)
            XCTAssertEqual(alone, Array(y[(s * dout)..<((s + 1) * dout)]), "sample \(s) alone")
        }
    }

    /// |G| = points · |P| elements, each applied directly: every one commutes with the layer to
    /// Float64 rounding; the law's actions are checked against the library's own `c*field(ρ)`
    /// representations (natural ⊗ ρ) on the generators, and a kernel with one basis value changed
    /// fails.
    func testLawOverEveryTranslationAndPointElement() throws {
        var rng = RuntimeRandom(seed: 3)
        let orders = [
            "wallpaper:p4m:6x6": 8, "wallpaper:p4:6x6": 4, "wallpaper:p6m:5x5": 12, "wallpaper:pmm:4x6": 4, "space:Oh:3x3x3": 48, "wallpaper:p4:7x7": 4,
            "wallpaper:p4m:5x5": 8,
        ]
        for c in Self.cases {
            let conv = try convolution(c)
            let node = conv.runtimeNode()
            let law = Law.lattice(input: node.input, output: node.output, limit: 1_000_000)
            XCTAssertTrue(law.isComplete)
            XCTAssertEqual(law.elementCount, conv.points * orders[c.spec]!, c.spec)
            // Generator actions against natural ⊗ ρ from the group (translations and point generators);
            // `regular` inside a field is the point group's regular representation.
            let group = try S.group(c.spec)
            let fieldIn = try group.representation(parsing: c.input.replacingOccurrences(of: "(regular)", with: "(pointRegular)"))
            let probe = random(node.input.dimension, &rng)
            for g in 0..<group.generatorCount {
                let expected = fieldIn.realImages[g]
                let want = (0..<expected.rows).map { r in (0..<expected.columns).reduce(0.0) { $0 + expected[r, $1] * probe[$1] } }
                XCTAssertEqual(node.input.act(generator: g, probe), want, "\(c.spec) generator \(g)")
            }
            let theta = random(conv.weightCount, &rng), beta = random(conv.biasCount, &rng)
            let k = node.kernel(weights: theta, bias: beta)
            // Three families here (the CLI's `verify` runs all of them): generic, heavy-tailed, constant.
            let report = law.check(inputSizes: [node.input.dimension], families: [.standardNormal, .cauchy, .constant], samples: 1) {
                node.forward(batch: $0[0], count: 1, kernel: k)
            }
            XCTAssertLessThan(report.worst, 1e-12, "\(c.spec) \(c.input) → \(c.output)")
            // Negative control: one basis value changed.
            let b = node.basis
            var values = b.value
            values[values.count / 2] += 0.5
            let broken = SteerableLatticeConvolution(
                input: node.input, output: node.output, stencil: node.stencil,
                basis: LatticeKernelBasis(count: b.count, offsetCount: b.offsetCount, rows: b.rows, columns: b.columns, element: b.element, offset: b.offset, row: b.row, column: b.column, value: values),
                biasBasis: node.biasBasis)
            let kb = broken.kernel(weights: theta.map { _ in 1 }, bias: beta)
            let sampled = Law.lattice(input: node.input, output: node.output, limit: 4 * orders[c.spec]!)
            let bad = sampled.check(inputSizes: [node.input.dimension], families: [.standardNormal], samples: 1) { broken.forward(batch: $0[0], count: 1, kernel: kb) }
            XCTAssertGreaterThan(bad.worst, 1e-3, "\(c.spec): a broken kernel must fail")
        }
    }

    /// Above the limit: every point element with sampled translations, reported incomplete.
    func testLawSamplesTranslationsAboveTheLimit() throws {
        let conv = try convolution(("wallpaper:p4m:6x6", "field(trivial)", "field(regular)", 3))
        let node = conv.runtimeNode()
        let law = Law.lattice(input: node.input, output: node.output, limit: 80)
        XCTAssertFalse(law.isComplete)
        XCTAssertEqual(law.elementCount, 80)
    }

    /// Escnn's documented lifting and regular-to-regular counts follow from Hom_P(ρ_in, π_S ⊗ ρ_out):
    /// with a regular output, π_S ⊗ reg is free, so trivial → regular has |S| elements and
    /// regular → regular |S|·|P| (3×3: 9 and 72 for D₄, 36 for C₄).
    func testRegularFieldBasisDimensions() throws {
        let cases: [(String, String, String, Int)] = [
            ("wallpaper:p4m:6x6", "field(trivial)", "field(regular)", 9), ("wallpaper:p4m:6x6", "field(regular)", "field(regular)", 72),
            ("wallpaper:p4:6x6", "field(regular)", "field(regular)", 36), ("space:Oh:4x4x4", "field(trivial)", "field(regular)", 27),
        ]
        for (spec, i, o, m) in cases {
            XCTAssertEqual(try convolution((spec, i, o, 3)).kernelBasis.dimension, m, "\(spec) \(i) → \(o)")
        }
    }

    /// The generated file compiled and run by the verify harness against the spec's field types
    /// (every translation × point element), in one compile: the generated type passes at every one
    /// of the 288 elements; a copy with one basis value changed (the kernel no longer constant on an
    /// orbit) fails.
    func testGeneratedFileVerifiesAndATamperedCopyFails() throws {
        let spec = "wallpaper:p4m:6x6", i = "field(trivial)", o = "2*field(regular)"
        let group = try S.group(spec)
        let conv = try convolution((spec, i, o, 3))
        func source(_ name: String) -> String {
            LatticeLayerEmitter(
                convolution: conv, generatorNames: group.generators, typeName: name, inputExpression: i, outputExpression: o,
                header: GeneratedFileHeader(spec: spec, command: "test")).source()
        }
        let good = source("Lift")
        var tampered = source("Tampered")
        let marker = "static let basisValue: [Double] = ["
        let start = try XCTUnwrap(tampered.range(of: marker))
        // The integer literals of the monomial basis: the first "1," becomes "2,".
        let firstOne = try XCTUnwrap(tampered.range(of: "1,", range: start.upperBound..<tampered.endIndex))
        tampered.replaceSubrange(firstOne, with: "2,")
        var options = VerificationOptions()
        options.optimization = "-Onone"
        let fields = try LatticeVerification.fields(
            lattice: conv.lattice, input: try RepresentationExpression(parsing: i), output: try RepresentationExpression(parsing: o))
        let reports = try LatticeVerification(options: options).verify(source: good + "\n" + tampered, fileName: "Lift.swift", spec: fields)
        XCTAssertEqual(reports.count, 2)
        XCTAssertTrue(reports[0].passed, reports[0].text)
        XCTAssertTrue(reports[0].allElements)
        XCTAssertEqual(reports[0].elementCount, 288)
        XCTAssertEqual(reports[0].doubleThreshold, 1e-12)
        XCTAssertFalse(reports[1].passed, reports[1].text)
    }
}
