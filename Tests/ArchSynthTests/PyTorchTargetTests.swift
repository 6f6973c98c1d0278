import Foundation
import GroupTheory
import XCTest

@testable import ArchSynth

/// The PyTorch target (issue 22), tested for real: the emitted modules are imported under torch
/// (one Python process for all value checks, one for all law checks: importing torch costs ~2 s)
/// and checked against facts computed independently of the emitter:
/// - values and autograd gradients against the library's W = Σ θ_i B_i (from the basis, or
///   the factored basis element by element) and its dθ_i = dyᵀ B_i x, dx = Wᵀ dy;
/// - the same seed gives the same initial function as the generated Swift code: the Swift files
///   for the same descriptions are compiled (one swiftc run) and their `init(seed:)` weights and
///   Float forward compared with torch's (1e-5 relative); networks also in Float64 and their
///   hand-written Swift backward against autograd;
/// - the law on every group element through `PyTorchVerifier` (the checks of `verify FILE.py`),
///   with a mutated module beside them that must fail.
/// Python is `$ARCHSYNTH_PYTHON` (set by .ci/run), else python3; without torch the tests fail
/// with the install instructions (they never skip).
final class PyTorchTargetTests: XCTestCase {
    override class func setUp() {
        super.setUp()
        TorchPython.ready
    }

    struct Case {
        let name: String
        let spec: String
        let input: String
        let output: String
        var strategy: StrategyPreference = .automatic
        let expected: ForwardStrategy
        var support: Int?
        /// The torch form of a closed form (nil: the emitter's rule).
        var closedForm: PyTorchLayerEmitter.ClosedFormForm?
        /// A fragment the emitted module must contain (the torch form of the strategy).
        let marker: String
    }

    static let cases: [Case] = [
        // 16 entries × 2 parameters: W = M θ, the classes expanded into M at construction.
        Case(name: "TorchTied", spec: "symmetric:4", input: "natural", output: "natural", strategy: .forced(.tied), expected: .tied, marker: "self._constants[\"weightMatrix\"] = class_matrix(self._constants, \"weight\", 2)"),
        // 1024 entries × 128 parameters is above the size of M: W = pad(θ)[index], one gather.
        Case(name: "TorchTiedGather", spec: "cyclic:8", input: "4*natural", output: "4*natural", strategy: .forced(.tied), expected: .tied, marker: "F.pad(self.weight.to(like.dtype), (0, 1))[self._const(\"weightIndex\", like)]"),
        // 736 of 65536 entries tied: the scatter-add product without W.
        Case(name: "TorchSparse", spec: "hyperoctahedral:16", input: "natural^2", output: "natural^2", expected: .tied, marker: "scatter-add over them, no W"),
        Case(name: "TorchDense", spec: "dihedral:5", input: "natural + plane", output: "plane*plane + natural + trivial", expected: .dense, marker: "self._const(\"weightMatrix\", like) @ self.weight.to(like.dtype)"),
        // 729 entries × 124 parameters, above the size of M: W = (R θ)[class] · sign, R the distinct forms.
        Case(name: "TorchDenseGather", spec: "dihedral:7", input: "10*plane + natural", output: "10*plane + natural", expected: .dense, marker: ", 124) @ self.weight.to(like.dtype))[self._const(\"weightIndex\", like)] * self._const(\"weightSign\", like)"),
        // Blocks of rank 0, 1 and 2 on both sides: every kind of partition diagram; small, so W is materialized.
        Case(name: "TorchClosed", spec: "symmetric:5", input: "trivial + natural + natural^2", output: "natural^2 + natural", expected: .symmetricClosedForm, marker: "W (30 x 31) for the current theta"),
        // 289 × 289 is above the size where W is materialized: the fused form by the rule.
        Case(name: "TorchClosedLarge", spec: "symmetric:17", input: "natural^2", output: "natural^2", expected: .symmetricClosedForm, marker: "ClosedFormProduct.apply("),
        // The fused form (forced at this size) on blocks of rank 0, 1 and 2 on both sides, and on
        // two n×n blocks on each side in a shuffled order (pair terms between every two, with transposes).
        Case(name: "TorchFusedMix", spec: "symmetric:5", input: "trivial + natural + natural^2", output: "natural^2 + natural + trivial", expected: .symmetricClosedForm, closedForm: .fused, marker: "ClosedFormProduct.apply("),
        Case(name: "TorchFusedTwo", spec: "symmetric:5", input: "natural^2 + trivial + natural + natural^2", output: "natural + natural^2 + trivial + natural^2", expected: .symmetricClosedForm, closedForm: .fused, marker: "ClosedFormProduct.apply("),
        // The pooled form (the rule's choice above 2^26 entries), forced on the same mixed blocks.
        Case(name: "TorchPooledMix", spec: "symmetric:5", input: "trivial + natural + natural^2", output: "natural^2 + natural + trivial", expected: .symmetricClosedForm, closedForm: .pooled, marker: "def _linear(self, x):\n        phi = self.coefficients(x)"),
        Case(name: "TorchGrid", spec: "cyclic:8", input: "2*regular", output: "3*regular", expected: .groupConvolution, support: 3, marker: "F.conv1d"),
        Case(name: "TorchGrid2", spec: "cyclic:4 x cyclic:3", input: "regular", output: "2*regular", expected: .groupConvolution, support: 3, marker: "F.conv2d"),
        // Full support on a small grid: the gather through the table of offsets.
        Case(name: "TorchGridFull", spec: "cyclic:6", input: "regular", output: "2*regular", expected: .groupConvolution, marker: "the |G|^2 table"),
        Case(name: "TorchTable", spec: "symmetric:3", input: "regular", output: "2*regular", expected: .groupConvolution, marker: "the |G|^2 table"),
        Case(name: "TorchFactored", spec: "dicyclic12", input: "quaternion^3", output: "quaternion", strategy: .forced(.factored), expected: .factored, marker: "Strategy factored"),
        Case(name: "TorchFactored2", spec: "dihedral:5", input: "natural + plane", output: "plane*plane + natural + trivial", strategy: .forced(.factored), expected: .factored, marker: "Strategy factored"),
    ]

    /// A network with ReLU (permutation blocks), norm gates (D5's plane is not monomial) and an invariant head.
    static let network = (name: "TorchNet", spec: "dihedral:5", reps: ["natural", "plane + natural", "2*plane + trivial", "trivial"])

    static func description(_ c: Case) throws -> LayerDescription {
        let g = try TestBases.group(c.spec)
        let rIn = try g.representation(parsing: c.input), rOut = try g.representation(parsing: c.output)
        if c.expected == .groupConvolution {
            return try XCTUnwrap(LayerDescription.groupConvolution(
                typeName: c.name, group: g, input: rIn, output: rOut, inputExpression: c.input, outputExpression: c.output, support: c.support))
        }
        if c.strategy == .forced(.factored) {
            let basis = try IntertwinerSolver.solveFactored(input: rIn, output: rOut, group: g)
            return try LayerDescription(typeName: c.name, group: g, input: rIn, output: rOut, inputExpression: c.input, outputExpression: c.output, basis: basis)
        }
        return try TestBases.layer(c.spec, c.input, c.output, name: c.name)
    }

    static func header(_ spec: String) -> GeneratedFileHeader {
        GeneratedFileHeader(spec: spec, command: "archsynth generate (PyTorchTargetTests)")
    }

    /// Writes NAME.py (+ NAME.safetensors) for every case and the network into `dir`.
    static func emitAll(into dir: URL) throws -> (layers: [(Case, LayerDescription, PyTorchLayerEmitter)], network: NetworkDescription) {
        var layers: [(Case, LayerDescription, PyTorchLayerEmitter)] = []
        for c in cases {
            let layer = try description(c)
            let emitter = try PyTorchLayerEmitter(layer: layer, header: header(c.spec), strategy: c.strategy, closedForm: c.closedForm)
            XCTAssertEqual(emitter.strategy, c.expected, c.name)
            let files = emitter.files(baseName: c.name)
            XCTAssertTrue(files.source.contains(c.marker), "\(c.name) uses its torch form (\(c.marker))")
            try PyTorchFiles.write(source: files.source, tensors: files.tensors, to: dir.appendingPathComponent(c.name + ".py"))
            layers.append((c, layer, emitter))
        }
        let n = network
        let net = try NetworkDescription.solving(typeName: n.name, group: try TestBases.group(n.spec), expressions: n.reps)
        XCTAssertTrue(net.isInvariant)
        XCTAssertGreaterThan(net.gateCount, 0, "the network has norm gates")
        let files = try PyTorchNetworkEmitter(network: net, header: header(n.spec)).files(baseName: n.name)
        try PyTorchFiles.write(source: files.source, tensors: files.tensors, to: dir.appendingPathComponent(n.name + ".py"))
        return (layers, net)
    }

    static func literal(_ v: [Double]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }

    /// Relative max-norm mismatch.
    static func mismatch(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        var worst = 0.0, scale = 1e-30
        for i in a.indices { worst = max(worst, abs(a[i] - b[i])); scale = max(scale, abs(b[i])) }
        return worst / scale
    }

    static func runPython(_ script: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent("check.py")
        try script.write(to: url, atomically: true, encoding: .utf8)
        return try PyTorchVerifier.runPython(PyTorchVerifier.defaultPython, [url.path], in: dir, seconds: 600, what: "the PyTorch value checks")
    }

    /// The Python side of the value checks: per module, the seeded weights and Float32 outputs,
    /// then Float64 outputs and autograd gradients at given parameters. One JSON line.
    static let valueScript = #"""
        import importlib.util, json, os, sys
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import torch
        except ImportError as error:
            print("archsynth-pytorch\tno-torch\t" + str(error)); sys.exit(3)
        cases = json.loads(open(sys.argv[1]).read())
        result = {}
        def grad(t):
            return t.grad.reshape(-1) if t.grad is not None else torch.zeros(t.numel(), dtype=torch.float64)
        for c in cases:
            spec = importlib.util.spec_from_file_location(c["name"], c["name"] + ".py")
            module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
            cls = getattr(module, c["name"])
            x = torch.tensor(c["x"], dtype=torch.float64)
            m = cls(seed=7)
            r = {}
            if hasattr(m, "flat_parameters"):
                r["seeded"] = m.flat_parameters()[0].double().tolist()
            else:
                r["seeded"] = m.weight.double().tolist()
            with torch.no_grad():
                r["y32"] = m(x.float()).double().reshape(-1).tolist()
            r["equivariance32"] = m.equivariance_error(seed=1, trials=4)
            m.double()
            m.set_parameters(c["theta"], c["beta"])
            xg = x.clone().requires_grad_(True)
            y = m(xg)
            dy = torch.tensor(c["dy"], dtype=torch.float64)
            (y * dy).sum().backward()
            r["y64"] = y.detach().reshape(-1).tolist()
            r["dx"] = xg.grad.reshape(-1).tolist()
            if hasattr(m, "flat_parameters"):
                layers = m.layers()
                r["dtheta"] = torch.cat([grad(l.weight) for l in layers]).tolist()
                r["dbeta"] = torch.cat([grad(l.bias) for l in layers] + [grad(m.gates)]).tolist()
            else:
                r["dtheta"] = grad(m.weight).tolist()
                r["dbeta"] = grad(m.bias).tolist()
            result[c["name"]] = r
        # Numbers as repr strings: Foundation's JSON numbers need not round-trip every double.
        print("RESULT " + json.dumps({k: {f: [repr(float(v)) for v in vs] if isinstance(vs, list) else vs for f, vs in r.items()} for k, r in result.items()}))
        """#

    func testEmittedModulesAgreeWithMaterializedWAndWithTheSwiftCode() throws {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (layers, net) = try Self.emitAll(into: dir)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("TorchFactored.safetensors").path), "factors go to the basis file")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("TorchTied.safetensors").path), "tying tables go to the basis file")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("TorchClosed.safetensors").path), "nothing for closed forms")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("TorchGrid.safetensors").path), "nothing for group convolutions")

        // Inputs and Float-representable parameters (batch of 2 rows).
        var rng = SplitMix64(seed: 2026)
        func draw(_ n: Int) -> [Double] { (0..<n).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) } }
        struct Values { let name: String; let x: [Double]; let theta: [Double]; let beta: [Double]; let dy: [Double] }
        var values: [Values] = []
        for (c, layer, _) in layers {
            values.append(Values(name: c.name, x: draw(2 * layer.input.dimension), theta: draw(layer.basis.dimension), beta: draw(layer.basis.biasDimension), dy: draw(2 * layer.output.dimension)))
        }
        let dIn = net.representations[0].dimension, dOut = net.representations[net.representations.count - 1].dimension
        values.append(Values(name: net.typeName, x: draw(2 * dIn), theta: draw(net.weightCount), beta: draw(net.biasCount), dy: draw(2 * dOut)))
        let request = "[" + values.map { v in
            "{\"name\": \"\(v.name)\", \"x\": [\(Self.literal(Array(v.x[..<(v.x.count / 2)]))), \(Self.literal(Array(v.x[(v.x.count / 2)...])))], \"theta\": \(Self.literal(v.theta)), \"beta\": \(Self.literal(v.beta)), \"dy\": [\(Self.literal(Array(v.dy[..<(v.dy.count / 2)]))), \(Self.literal(Array(v.dy[(v.dy.count / 2)...])))]}"
        }.joined(separator: ",\n") + "]"
        try request.write(to: dir.appendingPathComponent("request.json"), atomically: true, encoding: .utf8)
        let output = try Self.runPython(Self.valueScript.replacingOccurrences(of: "sys.argv[1]", with: "\"request.json\""), in: dir)
        let line = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix("RESULT ") }, output)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.dropFirst(7).utf8)) as? [String: [String: Any]])
        func array(_ name: String, _ key: String) throws -> [Double] {
            try XCTUnwrap((json[name]?[key] as? [String])?.compactMap(Double.init), "\(name).\(key)")
        }

        // Float64 values and autograd gradients against the library's W = Σ θ_i B_i.
        for ((c, layer, _), v) in zip(layers, values) {
            let basis = layer.basis
            let elements: [Matrix] = basis.factored.map { f in (0..<f.dimension).map(f.element) } ?? basis.elements.map(\.dense)
            var w = Matrix(rows: basis.outputDimension, columns: basis.inputDimension)
            for (t, b) in elements.enumerated() { w = w + v.theta[t] * b }
            var b0 = [Double](repeating: 0, count: basis.outputDimension)
            for (j, b) in basis.biasElements.enumerated() { for e in b.entries { b0[e.row] += v.beta[j] * e.value } }
            var y: [Double] = [], dTheta = [Double](repeating: 0, count: basis.dimension), dBeta = [Double](repeating: 0, count: basis.biasDimension), dx: [Double] = []
            for r in 0..<2 {
                let x = Array(v.x[(r * basis.inputDimension)..<((r + 1) * basis.inputDimension)])
                let dy = Array(v.dy[(r * basis.outputDimension)..<((r + 1) * basis.outputDimension)])
                y += zip(w.apply(x), b0).map { $0 + $1 }
                for (t, b) in elements.enumerated() { dTheta[t] += zip(dy, b.apply(x)).reduce(0.0) { $0 + $1.0 * $1.1 } }
                for (j, b) in basis.biasElements.enumerated() { dBeta[j] += b.entries.reduce(0.0) { $0 + dy[$1.row] * $1.value } }
                dx += w.transposed.apply(dy)
            }
            XCTAssertLessThan(Self.mismatch(try array(c.name, "y64"), y), 1e-12, "\(c.name) forward (Float64) = W x + b")
            XCTAssertLessThan(Self.mismatch(try array(c.name, "dtheta"), dTheta), 1e-11, "\(c.name) autograd dθ")
            XCTAssertLessThan(Self.mismatch(try array(c.name, "dbeta"), dBeta), 1e-11, "\(c.name) autograd dβ")
            XCTAssertLessThan(Self.mismatch(try array(c.name, "dx"), dx), 1e-11, "\(c.name) autograd dx = Wᵀ dy")
            let e = try XCTUnwrap(json[c.name]?["equivariance32"] as? Double)
            XCTAssertLessThan(e, 1e-5, "\(c.name) equivariance_error() in float32")
        }

        // The Swift code for the same descriptions, compiled once: same seed ⇒ same weights and the
        // same Float outputs (1e-5 relative); the network also in Float64 with its Swift backward.
        var files: [URL] = []
        var checks = CodeGenCompileTests.mismatchFunction
        for ((c, layer, _), v) in zip(layers, values) {
            let swift = try LayerEmitter(layer: layer, header: Self.header(c.spec), strategy: c.strategy)
            let url = dir.appendingPathComponent(c.name + ".swift")
            try swift.source().write(to: url, atomically: true, encoding: .utf8)
            files.append(url)
            checks += Self.sameSeedCheck(type: c.name, x: v.x, rows: 2, seeded: try array(c.name, "seeded"), y32: try array(c.name, "y32"))
        }
        let netSource = try NetworkEmitter(network: net, header: Self.header(Self.network.spec)).source()
        let netURL = dir.appendingPathComponent(net.typeName + ".swift")
        try netSource.write(to: netURL, atomically: true, encoding: .utf8)
        files.append(netURL)
        let v = values[values.count - 1]
        checks += Self.sameSeedCheck(type: net.typeName, x: v.x, rows: 2, seeded: try array(net.typeName, "seeded"), y32: try array(net.typeName, "y32"))
        checks += """
            do {
                let net = \(net.typeName)(weights: \(Self.literal(v.theta)).map { Float($0) }, bias: \(Self.literal(v.beta)).map { Float($0) })
                let x: [Double] = \(Self.literal(v.x)), dy: [Double] = \(Self.literal(v.dy))
                let errors: [(String, Double, Double)] = [
                    ("network Float64 forward vs torch", mismatch(net.forward(batch: x, count: 2), \(Self.literal(try array(net.typeName, "y64")))), 1e-12),
                    ("network dθ vs autograd", mismatch(net.backward(batch: x, outputGradient: dy, count: 2).weights, \(Self.literal(try array(net.typeName, "dtheta")))), 1e-10),
                    ("network dβ vs autograd", mismatch(net.backward(batch: x, outputGradient: dy, count: 2).bias, \(Self.literal(try array(net.typeName, "dbeta")))), 1e-10),
                    ("network dx vs autograd", mismatch(net.backward(batch: x, outputGradient: dy, count: 2).input, \(Self.literal(try array(net.typeName, "dx")))), 1e-10),
                ]
                for (label, value, tolerance) in errors where !(value <= tolerance) {
                    print("FAIL \\(label): \\(value) > \\(tolerance)")
                    failures += 1
                }
            }
            if failures > 0 { exit(1) }

            """
        var options = VerificationOptions()
        options.optimization = "-Onone"
        // The harness also runs the Swift files' own law checks; kept small (they are not the point here).
        options.maxElements = 24
        options.parameterDraws = 1
        options.samplesPerFamily = 1
        let reports = try VerificationHarness(options: options).verify(files: files, extraMain: checks)
        XCTAssertEqual(reports.count, files.count)
    }

    /// Harness source: `T(seed: 7)` has torch's seeded weights exactly and its Float forward agrees to 1e-5.
    static func sameSeedCheck(type: String, x: [Double], rows: Int, seeded: [Double], y32: [Double]) -> String {
        """
        do {
            let model = \(type)(seed: 7)
            let seeded: [Double] = \(literal(seeded))
            let y32: [Double] = \(literal(y32))
            let mine = model.forward(batch: \(literal(x)).map { Float($0) }, count: \(rows)).map { Double($0) }
            if model.weights.map({ Double($0) }) != seeded { print("FAIL \(type): seed 7 draws different weights in Swift and torch"); failures += 1 }
            if !(mismatch(y32, mine) <= 1e-5) { print("FAIL \(type): Float outputs for seed 7 differ by \\(mismatch(y32, mine)) relative"); failures += 1 }
        }

        """
    }

    func testLawHoldsOnEveryElementAndAMutatedModuleFails() throws {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (layers, net) = try Self.emitAll(into: dir)
        var items: [(file: URL, actions: SpecActions)] = []
        // B_16 (TorchSparse) and S_17 (TorchClosedLarge) are too large to enumerate: their values are checked
        // against W and their equivariance_error in the other test.
        for (c, layer, _) in layers where c.name != "TorchSparse" && c.name != "TorchClosedLarge" {
            let g = try TestBases.group(c.spec)
            items.append((dir.appendingPathComponent(c.name + ".py"), try SpecActions(subject: c.spec, generatorNames: g.generators, input: layer.input, output: layer.output)))
        }
        let g = try TestBases.group(Self.network.spec)
        let netActions = try SpecActions(subject: Self.network.spec, generatorNames: g.generators, input: net.representations[0], output: net.representations[net.representations.count - 1])
        items.append((dir.appendingPathComponent(net.typeName + ".py"), netActions))
        // The negative control: zero padding instead of circular breaks translation equivariance.
        let mutantDir = dir.appendingPathComponent("mutant")
        try FileManager.default.createDirectory(at: mutantDir, withIntermediateDirectories: true)
        let grid = try String(contentsOf: dir.appendingPathComponent("TorchGrid.py"), encoding: .utf8)
        XCTAssertTrue(grid.contains("mode=\"circular\""))
        try grid.replacingOccurrences(of: "mode=\"circular\"", with: "mode=\"constant\"").write(to: mutantDir.appendingPathComponent("TorchGrid.py"), atomically: true, encoding: .utf8)
        let gridIndex = try XCTUnwrap(items.firstIndex { $0.file.lastPathComponent == "TorchGrid.py" })
        items.append((mutantDir.appendingPathComponent("TorchGrid.py"), items[gridIndex].actions))

        var options = VerificationOptions()
        options.maxElements = 500
        let reports = try PyTorchVerifier(options: options).verify(items)
        XCTAssertEqual(reports.count, items.count)
        for (report, item) in zip(reports.dropLast(), items) {
            XCTAssertTrue(report.passed, "\(item.file.lastPathComponent):\n\(report.text)")
        }
        // Every group here is enumerated: |S_4| = 24 first, |S_5| = 120 for the closed form.
        for (r, item) in zip(reports, items) { XCTAssertTrue(r.allElements, "\(item.file.lastPathComponent) is checked on every element") }
        XCTAssertEqual(reports.map(\.elementCount)[0], 24)
        XCTAssertEqual(reports.first { $0.subject.hasPrefix("TorchClosed.py") }?.elementCount, 120)
        for name in ["TorchFusedMix", "TorchFusedTwo", "TorchPooledMix"] {
            XCTAssertEqual(reports.first { $0.subject.hasPrefix(name + ".py") }?.elementCount, 120, "\(name) is checked on all of S_5")
        }
        XCTAssertFalse(reports[reports.count - 1].passed, "a module with zero padding fails:\n\(reports[reports.count - 1].text)")
    }

    /// The closed-form rule: W materialized up to 2^15 entries (S_13 natural^2), the fused form
    /// above (S_14), and the emitted module says which (its header, its strategy note and the code
    /// it runs: the fused forward is one ClosedFormProduct call, no loop over the diagrams).
    func testClosedFormRuleRecordsItsChoiceInTheModule() throws {
        for (n, expected) in [(13, PyTorchLayerEmitter.ClosedFormForm.materialized), (14, .fused)] {
            let layer = try TestBases.layer("symmetric:\(n)", "natural^2", "natural^2", name: "Closed\(n)")
            let emitter = try PyTorchLayerEmitter(layer: layer, header: Self.header("symmetric:\(n)"))
            XCTAssertEqual(emitter.strategy, .symmetricClosedForm)
            XCTAssertEqual(emitter.closedForm, expected, "S_\(n)")
            let source = emitter.files(baseName: "Closed\(n)").source
            let header = try XCTUnwrap(source.split(separator: "\n").first { $0.hasPrefix("# Forward strategy:") })
            XCTAssertEqual(header.contains("fused:"), expected == .fused, String(header))
            // The last definition of _affine is the one Python keeps.
            let affine = try XCTUnwrap(source.range(of: "def _affine(self, x):", options: .backwards)).upperBound
            let body = source[affine...].split(separator: "\n", omittingEmptySubsequences: false).prefix(4).joined(separator: "\n")
            XCTAssertEqual(body.contains("self._product(x, self.bias_vector(x))"), expected == .fused, body)
            XCTAssertFalse(body.contains("_diagrams"), body)
        }
        XCTAssertEqual(PyTorchLayerEmitter.closedFormChoice(entries: (1 << 26) + 1), .pooled)
    }

    /// safetensors bytes from the format's definition: u64 little-endian header length, JSON
    /// header padded with spaces to 8 bytes, then little-endian payloads in order.
    func testSafetensorsLayout() throws {
        var file = SafetensorsFile(metadata: [("format", "t")])
        file.add("a", float64: [1.0, -2.0])
        file.add("b", int64: [3], shape: [1, 1])
        file.add("c", int8: [-1, 1])
        let bytes = file.bytes()
        let n = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        XCTAssertEqual(n % 8, 0)
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        XCTAssertEqual(header.trimmingCharacters(in: .whitespaces),
                       #"{"__metadata__":{"format":"t"},"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"b":{"dtype":"I64","shape":[1,1],"data_offsets":[16,24]},"c":{"dtype":"I8","shape":[2],"data_offsets":[24,26]}}"#)
        let payload = Array(bytes[(8 + n)...])
        // 1.0 = 0x3FF0000000000000, −2.0 = 0xC000000000000000, 3, then 0xFF 0x01.
        XCTAssertEqual(payload, [0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0, 3, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0x01])
    }

    func testClassNamesThatPythonCannotUseAreRefused() throws {
        let layer = try TestBases.layer("symmetric:3", "natural", "natural", name: "lambda")
        XCTAssertThrowsError(try PyTorchLayerEmitter(layer: layer, header: Self.header("symmetric:3"))) { error in
            XCTAssertTrue("\(error)".contains("Python keyword"), "\(error)")
        }
    }
}
