import Foundation
import GroupTheory
import XCTest

@testable import ArchSynth

/// The PyTorch target of the steerable lattice convolutions (wallpaper and space groups with
/// `--support`), tested for real under torch:
/// - the same function as the Swift layer: the Swift files for the same convolutions are compiled
///   and, for seed 7, draw exactly torch's θ and give its float32 outputs to 1e-5 relative; at given
///   parameters their Float64 forward and hand-written backward (the runtime's im2col and adjoint)
///   agree with torch's forward and autograd to 1e-10;
/// - Float64 values against `LatticeConvolution.apply`, the direct loops over points, stencil
///   offsets and channels written from the definition (1e-12);
/// - the law on every translation × point element through `PyTorchVerifier` with the field types
///   built from the spec, beside two tampered modules (one stencil weight changed; zero padding
///   instead of circular) that must fail.
final class PyTorchLatticeTests: XCTestCase {
    override class func setUp() {
        super.setUp()
        TorchPython.ready
    }

    struct Case {
        let name: String
        let spec: String
        let input: String
        let output: String
        /// Stencil points and window size (the hexagonal stencil leaves two corners of its 3×3 box empty).
        let stencil: Int
        let window: String
    }

    static let cases: [Case] = [
        Case(name: "P4MLift", spec: "wallpaper:p4m:8x8", input: "field(trivial)", output: "2*field(regular)", stencil: 9, window: "window = (3, 3)"),
        Case(name: "P4MGroup", spec: "wallpaper:p4m:8x8", input: "2*field(regular)", output: "field(regular)", stencil: 9, window: "window = (3, 3)"),
        Case(name: "P6Hex", spec: "wallpaper:p6:6x6", input: "field(trivial)", output: "field(regular)", stencil: 7, window: "window = (3, 3)"),
        Case(name: "OhLift", spec: "space:Oh:4x4x4", input: "field(trivial)", output: "field(regular)", stencil: 27, window: "window = (3, 3, 3)"),
    ]

    static func emit(_ c: Case, into dir: URL) throws -> (LatticeConvolution, LatticeLayerEmitter) {
        let lattice = try XCTUnwrap(CrystallographicLattice(origin: c.spec))
        let conv = try LatticeConvolution(
            lattice: lattice, input: try RepresentationExpression(parsing: c.input), output: try RepresentationExpression(parsing: c.output), support: 3)
        XCTAssertEqual(conv.stencil.count, c.stencil, c.name)
        let swift = LatticeLayerEmitter(
            convolution: conv, generatorNames: try LatticeConvolution.pointGroupCarrier(lattice).generators, typeName: c.name,
            inputExpression: c.input, outputExpression: c.output, header: PyTorchTargetTests.header(c.spec))
        let files = try PyTorchLatticeLayerEmitter(layer: swift).files(baseName: c.name)
        XCTAssertTrue(files.source.contains(c.window), "\(c.name): \(c.window)")
        XCTAssertTrue(files.source.contains("F.conv\(lattice.sides.count)d(") && files.source.contains("mode=\"circular\""), c.name)
        // The basis entries, one value each per nonzero entry, and (above the embedding limit) the ρ
        // images of the point generators (O_h's 48-dimensional regular field: 3 · 48²); nothing of size |G|.
        let basis = ["basisElement", "basisOffset", "basisRow", "basisColumn", "basisValue"]
        let entries = conv.kernelBasis.elements.reduce(0) { $0 + $1.entries.count }
        XCTAssertEqual(files.tensors.tensors.prefix(5).map(\.name), basis, c.name)
        XCTAssertTrue(files.tensors.tensors.prefix(5).allSatisfy { $0.count == entries }, c.name)
        let rho = conv.lattice.pointGenerators.count * conv.fieldOutputDimension * conv.fieldOutputDimension
        for t in files.tensors.tensors.dropFirst(5) {
            XCTAssertTrue(["inputRho", "outputRho"].contains(t.name) && t.count <= rho, "\(c.name): \(t.name) (\(t.count) values)")
        }
        try PyTorchFiles.write(source: files.source, tensors: files.tensors, to: dir.appendingPathComponent(c.name + ".py"))
        return (conv, swift)
    }

    func testSameFunctionAsTheSwiftLayerAndTheReferenceLoops() throws {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SplitMix64(seed: 2121)
        func draw(_ n: Int) -> [Double] { (0..<n).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) } }
        struct Values { let c: Case; let conv: LatticeConvolution; let swift: LatticeLayerEmitter; let x: [Double]; let theta: [Double]; let beta: [Double]; let dy: [Double] }
        var values: [Values] = []
        for c in Self.cases {
            let (conv, swift) = try Self.emit(c, into: dir)
            values.append(Values(c: c, conv: conv, swift: swift, x: draw(2 * swift.inputDimension), theta: draw(conv.weightCount), beta: draw(conv.biasCount), dy: draw(2 * swift.outputDimension)))
        }
        let request = "[" + values.map { v in
            let dIn = v.swift.inputDimension, dOut = v.swift.outputDimension
            return "{\"name\": \"\(v.c.name)\", \"x\": [\(PyTorchTargetTests.literal(Array(v.x[..<dIn]))), \(PyTorchTargetTests.literal(Array(v.x[dIn...])))], \"theta\": \(PyTorchTargetTests.literal(v.theta)), \"beta\": \(PyTorchTargetTests.literal(v.beta)), \"dy\": [\(PyTorchTargetTests.literal(Array(v.dy[..<dOut]))), \(PyTorchTargetTests.literal(Array(v.dy[dOut...])))]}"
        }.joined(separator: ",\n") + "]"
        try request.write(to: dir.appendingPathComponent("request.json"), atomically: true, encoding: .utf8)
        let output = try PyTorchTargetTests.runPython(PyTorchTargetTests.valueScript.replacingOccurrences(of: "sys.argv[1]", with: "\"request.json\""), in: dir)
        let line = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix("RESULT ") }, output)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.dropFirst(7).utf8)) as? [String: [String: Any]])
        func array(_ name: String, _ key: String) throws -> [Double] {
            try XCTUnwrap((json[name]?[key] as? [String])?.compactMap(Double.init), "\(name).\(key)")
        }

        // Float64 forward against the direct loops (independent of torch's convolution and of the runtime's im2col).
        for v in values {
            let dIn = v.swift.inputDimension
            let reference = (0..<2).flatMap { r in v.conv.apply(theta: v.theta, bias: v.beta, to: Array(v.x[(r * dIn)..<((r + 1) * dIn)])) }
            XCTAssertLessThan(PyTorchTargetTests.mismatch(try array(v.c.name, "y64"), reference), 1e-12, "\(v.c.name): torch float64 = the reference loops")
            let e = try XCTUnwrap(json[v.c.name]?["equivariance32"] as? Double)
            XCTAssertLessThan(e, 1e-5, "\(v.c.name) equivariance_error() in float32 over its generators and random words")
        }

        // The compiled Swift layers: seed 7 draws torch's θ exactly, Float outputs to 1e-5; at the given
        // parameters Double forward and backward against torch's forward and autograd to 1e-10.
        var files: [URL] = []
        var checks = CodeGenCompileTests.mismatchFunction
        for v in values {
            let url = dir.appendingPathComponent(v.c.name + ".swift")
            try v.swift.source().write(to: url, atomically: true, encoding: .utf8)
            files.append(url)
            let n = v.c.name, lit = PyTorchTargetTests.literal
            checks += PyTorchTargetTests.sameSeedCheck(type: n, x: v.x, rows: 2, seeded: try array(n, "seeded"), y32: try array(n, "y32"))
            checks += """
                do {
                    let layer = \(n)(weights: \(lit(v.theta)).map { Float($0) }, bias: \(lit(v.beta)).map { Float($0) })
                    let x: [Double] = \(lit(v.x)), dy: [Double] = \(lit(v.dy))
                    let g = layer.backward(batch: x, outputGradient: dy, count: 2)
                    let errors: [(String, Double)] = [
                        ("\(n) Float64 forward vs torch", mismatch(layer.forward(batch: x, count: 2), \(lit(try array(n, "y64"))))),
                        ("\(n) dθ vs autograd", mismatch(g.weights, \(lit(try array(n, "dtheta"))))),
                        ("\(n) dβ vs autograd", mismatch(g.bias, \(lit(try array(n, "dbeta"))))),
                        ("\(n) dx vs autograd", mismatch(g.input, \(lit(try array(n, "dx"))))),
                    ]
                    for (label, value) in errors where !(value <= 1e-10) {
                        print("FAIL \\(label): \\(value) > 1e-10")
                        failures += 1
                    }
                }

                """
        }
        checks += "if failures > 0 { exit(1) }\n"
        var options = VerificationOptions()
        options.optimization = "-Onone"
        // The harness also runs the Swift files' own law checks; kept small (the law is checked below).
        options.maxElements = 24
        options.parameterDraws = 1
        options.samplesPerFamily = 1
        let reports = try VerificationHarness(options: options).verify(files: files, extraMain: checks)
        XCTAssertEqual(reports.count, files.count)
    }

    func testLawHoldsOnEveryElementAndTamperedModulesFail() throws {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var items: [(file: URL, check: PyTorchVerifier.Check)] = []
        for c in Self.cases {
            _ = try Self.emit(c, into: dir)
            let lattice = try XCTUnwrap(CrystallographicLattice(origin: c.spec))
            items.append((dir.appendingPathComponent(c.name + ".py"), try .lattice(lattice: lattice, input: c.input, output: c.output)))
        }
        // Tampered copies of the lift (with their basis file): one stencil weight of one basis
        // element changed, and zero padding instead of circular.
        let source = try String(contentsOf: dir.appendingPathComponent("P4MLift.py"), encoding: .utf8)
        let build = "        basis.index_put_(place, c[\"basisValue\"], accumulate=True)\n"
        XCTAssertTrue(source.contains(build) && source.contains("mode=\"circular\""))
        let mutants = [
            ("stencil", source.replacingOccurrences(of: build, with: build + "        basis[0, 0, 0, 0] += 0.5\n")),
            ("padding", source.replacingOccurrences(of: "mode=\"circular\"", with: "mode=\"constant\"")),
        ]
        for (label, text) in mutants {
            let folder = dir.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: folder.appendingPathComponent("P4MLift.py"), atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(at: dir.appendingPathComponent("P4MLift.safetensors"), to: folder.appendingPathComponent("P4MLift.safetensors"))
            items.append((folder.appendingPathComponent("P4MLift.py"), items[0].check))
        }
        // p4m and p6 with the default --max-elements (every element); O_h on 4×4×4 (3,072 elements)
        // with 200: every point element with the zero and unit translations keeps the values
        // exchanged with Python under the limit. The tampered copies with 24 (every point element
        // with the zero and unit translations: enough to catch both, and quick).
        func verify(_ checks: ArraySlice<(file: URL, check: PyTorchVerifier.Check)>, maxElements: Int) throws -> [VerificationReport] {
            var options = VerificationOptions()
            options.maxElements = maxElements
            return try PyTorchVerifier(options: options).verify(checks: Array(checks))
        }
        let reports = try verify(items[0..<3], maxElements: 5_000) + verify(items[3..<4], maxElements: 200) + verify(items[4...], maxElements: 24)
        XCTAssertEqual(reports.count, items.count)
        for (report, item) in zip(reports.prefix(Self.cases.count), items) {
            XCTAssertTrue(report.passed, "\(item.file.lastPathComponent):\n\(report.text)")
        }
        // |p4m on 8×8| = 64 · 8, |p6 on 6×6| = 36 · 6: every element; Oh: 4 translations × 48.
        XCTAssertEqual(reports.prefix(Self.cases.count).map(\.elementCount), [512, 512, 216, 192])
        XCTAssertEqual(reports.prefix(Self.cases.count).map(\.allElements), [true, true, true, false])
        for r in reports.suffix(2) { XCTAssertFalse(r.passed, "a tampered module fails:\n\(r.text)") }
    }

    func testAnOversizedCheckIsRefusedBeforePython() throws {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.emit(Self.cases[3], into: dir)
        let lattice = try XCTUnwrap(CrystallographicLattice(origin: "space:Oh:4x4x4"))
        let check = try PyTorchVerifier.Check.lattice(lattice: lattice, input: "field(trivial)", output: "field(regular)")
        // A python that must not be started: the refusal comes first.
        let verifier = PyTorchVerifier(python: dir.appendingPathComponent("no-python").path)
        XCTAssertThrowsError(try verifier.verify(checks: [(dir.appendingPathComponent("OhLift.py"), check)])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("with 64 values in and 3072 out"), text)
            XCTAssertTrue(text.contains("above 50000000; lower --max-elements (now 5000) to check every point element with the zero, unit and random translations"), text)
        }
    }
}
