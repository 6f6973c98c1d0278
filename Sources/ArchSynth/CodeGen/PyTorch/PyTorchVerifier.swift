import ArchSynthRuntime
import Foundation
import GroupTheory

/// `archsynth verify FILE.py --spec SPEC --in EXPR --out EXPR`: the checks of `verify FILE.swift`
/// on an emitted PyTorch module, with the same code. The law (`Law.generated` from the spec's
/// actions: every element up to `maxElements`), the parameter draws, the out-of-distribution
/// input families and the sensitivity probe are the runtime's (`GeneratedModelVerifier`); only
/// the forward passes run in Python. The check runs twice: the first pass records every input
/// the law evaluates the model on, one Python process evaluates all of them in batches (float32
/// and float64), and the second pass replays the same calls with those outputs. All modules of
/// one call share one Python process (importing torch costs about 2 s).
///
/// ```swift
/// let reports = try PyTorchVerifier().verify([(url, actions)])
/// ```
public struct PyTorchVerifier: Sendable {
    public var options: VerificationOptions
    /// The interpreter: `$ARCHSYNTH_PYTHON`, else `python3` on the PATH.
    public var python: String
    /// Largest number of values exchanged with Python per module: every evaluated row's input and
    /// its float32 and float64 outputs, rows × (d_in + 2 d_out) (8 bytes each on disk).
    public var maxExchangedValues = 50_000_000

    public init(options: VerificationOptions = VerificationOptions(), python: String = PyTorchVerifier.defaultPython) {
        self.options = options
        self.python = python
    }

    public static var defaultPython: String {
        let env = ProcessInfo.processInfo.environment["ARCHSYNTH_PYTHON"] ?? ""
        return env.isEmpty ? "python3" : env
    }

    /// How to get torch, for the error when it is missing.
    public static let installHint =
        "install a CPU build of torch into a virtual environment and point ARCHSYNTH_PYTHON at its python: python3 -m venv .venv && .venv/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu && export ARCHSYNTH_PYTHON=$PWD/.venv/bin/python (.ci/run does this)"

    /// What the module declares (read from its text; the driver checks the loaded class agrees).
    struct Declared {
        var className = ""
        var weightCount = 0
        var biasCount = 0
        var groupOrder = ""
        var exact = true
    }

    static func declared(_ text: String, file: String) throws(VerificationError) -> Declared {
        var d = Declared()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let typeLine = lines.first(where: { $0.hasPrefix("# Type: ") }) else {
            throw .notAGeneratedLayer("\(file): no `# Type:` header line (generate it with archsynth generate ... --target pytorch)")
        }
        d.className = String(typeLine.dropFirst("# Type: ".count)).trimmingCharacters(in: .whitespaces)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("class \(d.className)(") }) else {
            throw .notAGeneratedLayer("\(file): no `class \(d.className)(...)` declaration")
        }
        func value(_ key: String) -> String? {
            for line in lines[(start + 1)...] {
                if !line.hasPrefix(" "), !line.isEmpty { break }
                if line.hasPrefix("    \(key) = ") { return String(line.dropFirst("    \(key) = ".count)) }
            }
            return nil
        }
        guard let w = value("weight_count").flatMap({ Int($0) }), let b = value("bias_count").flatMap({ Int($0) }),
              let order = value("group_order"), w >= 0, b >= 0
        else {
            throw .notAGeneratedLayer("\(file): class \(d.className) does not declare weight_count, bias_count and group_order")
        }
        d.weightCount = w
        d.biasCount = b
        d.groupOrder = order.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        // Float64 bases and nonlinearities keep the default Double threshold (as for Swift files).
        let methods = lines.filter { $0.contains("basis_method = ") }
        d.exact = !methods.isEmpty && !methods.contains { $0.contains("float") || $0.contains("isotypic") }
            && !text.contains("= EquivariantActivation(")
        return d
    }

    /// Records every call of the law's maps (first pass) or answers them from Python's outputs (second pass).
    final class Evaluations {
        var inputs: [[Double]] = []
        var float32: [[Double]] = []
        var float64: [[Double]] = []
        var next32 = 0, next64 = 0
        let outputDimension: Int
        init(outputDimension: Int) { self.outputDimension = outputDimension }
    }

    /// One report per file, in order, each checked against the spec's generator actions
    /// (`Law.generated`: every element up to `maxElements`, random words above).
    public func verify(_ items: [(file: URL, actions: SpecActions)]) throws(VerificationError) -> [VerificationReport] {
        try verify(checks: items.map { ($0.file, Check(actions: $0.actions)) })
    }

    /// One report per file, in order, each checked against its `Check` (the spec's actions, or a
    /// lattice layer's field types).
    public func verify(checks items: [(file: URL, check: Check)]) throws(VerificationError) -> [VerificationReport] {
        let folder: TemporaryFolder
        do { folder = try TemporaryFolder(prefix: "archsynth-verify-pytorch") } catch { throw .io("cannot create a temporary folder: \(error)") }
        defer { folder.remove() }
        let dir = folder.url
        var models: [String] = []
        var plans: [(declared: Declared, law: Law, draws: [(weights: [Float], bias: [Float], seed: UInt64, evaluations: Evaluations)], sensitivity: [(weights: [Float], bias: [Float], x: [[Double]], evaluations: Evaluations)])] = []
        for (m, item) in items.enumerated() {
            guard let data = FileManager.default.contents(atPath: item.file.path), let text = String(data: data, encoding: .utf8) else {
                throw .unreadable(item.file.path)
            }
            let d = try PyTorchVerifier.declared(text, file: item.file.lastPathComponent)
            let a = item.check
            let law = a.law(options)
            // First pass: the same draws as GeneratedModelVerifier, recording the inputs.
            var rng = RuntimeRandom(seed: options.seed)
            var draws: [(weights: [Float], bias: [Float], seed: UInt64, evaluations: Evaluations)] = []
            // Every element is evaluated at least once per sample, family and draw: a check whose
            // exchange is too large by that count alone is refused before the first pass runs.
            let width = max(1, a.inputDimension) + 2 * max(1, a.outputDimension)
            func refuse(_ rows: Int) -> VerificationError {
                .tooLarge("checking \(item.file.lastPathComponent) evaluates the module on \(rows)+ inputs: with \(a.inputDimension) values in and \(a.outputDimension) out (float32 and float64) that is \(rows * width) values to and from Python, above \(maxExchangedValues); lower --max-elements (now \(options.maxElements)) to check \(a.sampleNote), or verify the same layer generated as Swift (evaluated in-process, without this exchange)")
            }
            let fewest = law.elementCount * InputFamily.allCases.count * options.samplesPerFamily * options.parameterDraws
            guard fewest * width <= maxExchangedValues else { throw refuse(fewest) }
            var rows = 0
            for draw in 0..<options.parameterDraws {
                let weights = (0..<d.weightCount).map { _ in Float(rng.uniform(-1, 1)) }
                let bias = (0..<d.biasCount).map { _ in draw % 2 == 1 ? Float(0) : Float(rng.uniform(-1, 1)) }
                let seed = rng.next()
                let e = Evaluations(outputDimension: a.outputDimension)
                _ = law.check(inputSizes: [a.inputDimension], families: InputFamily.allCases, samples: options.samplesPerFamily, seed: seed, maps: [
                    { x in e.inputs.append(x[0]); return [Double](repeating: 0, count: e.outputDimension) },
                    { _ in [Double](repeating: 0, count: e.outputDimension) },
                ])
                rows += e.inputs.count
                guard rows * width <= maxExchangedValues else { throw refuse(rows) }
                draws.append((weights, bias, seed, e))
            }
            // The sensitivity probe's draws (GeneratedModelVerifier.sensitivity: 16 draws of 3 pairs).
            var probe = RuntimeRandom(seed: options.seed ^ 0x5E75_171F)
            var sensitivity: [(weights: [Float], bias: [Float], x: [[Double]], evaluations: Evaluations)] = []
            for draw in 0..<16 {
                let weights = (0..<d.weightCount).map { _ in Float(probe.uniform(-1, 1)) }
                let bias = (0..<d.biasCount).map { _ in draw % 2 == 1 ? Float(0) : Float(probe.uniform(-1, 1)) }
                let x = (0..<6).map { _ in probe.normals(a.inputDimension) }
                sensitivity.append((weights, bias, x, Evaluations(outputDimension: a.outputDimension)))
            }
            // Files for the driver.
            var evaluations: [String] = []
            func write(_ values: [Double], _ name: String) throws(VerificationError) -> String {
                let url = dir.appendingPathComponent(name)
                let bytes = values.withUnsafeBufferPointer { Data(buffer: $0) }
                do { try OutputFile.write(bytes, to: url) } catch { throw .io("\(error)") }
                return url.path
            }
            var all = draws.map { ($0.weights, $0.bias, $0.evaluations.inputs) } + sensitivity.map { ($0.weights, $0.bias, $0.x) }
            for (k, (w, b, x)) in all.enumerated() {
                let p = try write(w.map(Double.init) + b.map(Double.init), "m\(m)-p\(k).bin")
                let i = try write(x.flatMap { $0 }, "m\(m)-x\(k).bin")
                evaluations.append("{\"parameters\": \(SafetensorsFile.jsonString(p)), \"inputs\": \(SafetensorsFile.jsonString(i)), \"rows\": \(x.count), \"float32\": \(SafetensorsFile.jsonString(dir.appendingPathComponent("m\(m)-f\(k).bin").path)), \"float64\": \(SafetensorsFile.jsonString(dir.appendingPathComponent("m\(m)-d\(k).bin").path))}")
            }
            all.removeAll()
            models.append("""
                {"path": \(SafetensorsFile.jsonString(item.file.path)), "class": \(SafetensorsFile.jsonString(d.className)),
                 "generator_names": [\(a.generatorNames.map(SafetensorsFile.jsonString).joined(separator: ", "))],
                 "input_dimension": \(a.inputDimension), "output_dimension": \(a.outputDimension),
                 "weight_count": \(d.weightCount), "bias_count": \(d.biasCount),
                 "evaluations": [\(evaluations.joined(separator: ",\n"))]}
                """)
            plans.append((d, law, draws, sensitivity))
        }
        let request = dir.appendingPathComponent("request.json")
        let driver = dir.appendingPathComponent("driver.py")
        do {
            try OutputFile.write([(request, Data("{\"models\": [\(models.joined(separator: ",\n"))]}".utf8)), (driver, Data(PyTorchVerifier.driver.utf8))])
        } catch { throw .io("cannot write the request for Python: \(error)") }
        // Python writes up to maxExchangedValues doubles per module; the per-file limit (ulimit -f)
        // must let the largest of them through.
        let output = try PyTorchVerifier.runPython(
            python, [driver.path, request.path], in: dir, seconds: options.limits.harnessSeconds,
            what: "checking \(items.map(\.file.lastPathComponent).joined(separator: ", "))",
            outputMegabytes: max(options.limits.outputMegabytes, maxExchangedValues / 131_072 + 1))
        var reports: [VerificationReport] = []
        for (m, (item, plan)) in zip(items, plans).enumerated() {
            for f in HarnessBuild.records(output) {
                if f.count == 4, f[0] == "archsynth-pytorch", f[1] == "\(m)", f[2] == "mismatch" {
                    throw .specMismatch("\(item.file.lastPathComponent) (\(plan.declared.className)) does not fit \(item.check.subject): \(f[3])")
                }
            }
            // Read Python's outputs back.
            var k = 0
            func read(_ kind: String, _ rows: Int, _ d: Int) throws(VerificationError) -> [[Double]] {
                let url = dir.appendingPathComponent("m\(m)-\(kind)\(k).bin")
                guard let data = FileManager.default.contents(atPath: url.path), data.count == rows * d * 8 else {
                    throw .harnessFailed("Python did not write the outputs of \(item.file.lastPathComponent):\n\(output.suffix(4000))")
                }
                let values = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
                return (0..<rows).map { Array(values[($0 * d)..<(($0 + 1) * d)]) }
            }
            let dOut = item.check.outputDimension
            for draw in plan.draws {
                draw.evaluations.float32 = try read("f", draw.evaluations.inputs.count, dOut)
                draw.evaluations.float64 = try read("d", draw.evaluations.inputs.count, dOut)
                k += 1
            }
            for s in plan.sensitivity {
                s.evaluations.float64 = try read("d", 6, dOut)
                k += 1
            }
            // Second pass: the same calls, answered with Python's outputs.
            let families = InputFamily.allCases
            var worstFloat = [Double](repeating: 0, count: families.count), worstDouble = worstFloat
            for draw in plan.draws {
                let e = draw.evaluations
                let reports = plan.law.check(inputSizes: [item.check.inputDimension], families: families, samples: options.samplesPerFamily, seed: draw.seed, maps: [
                    { _ in defer { e.next32 += 1 }; return e.float32[e.next32] },
                    { _ in defer { e.next64 += 1 }; return e.float64[e.next64] },
                ])
                for f in families.indices {
                    worstFloat[f] = max(worstFloat[f], reports[0].results[f].worst)
                    worstDouble[f] = max(worstDouble[f], reports[1].results[f].worst)
                }
            }
            var sensitivity = 0.0
            probe: for s in plan.sensitivity {
                let y = s.evaluations.float64
                for pair in 0..<3 {
                    let change = Law.relativeError(y[2 * pair], y[2 * pair + 1])
                    sensitivity = max(sensitivity, change.isNaN ? .infinity : change)
                    if sensitivity > 1e-6 { break probe }
                }
            }
            if plan.declared.weightCount == 0 { sensitivity = .nan }
            let subject = "\(item.file.lastPathComponent) (\(plan.declared.className))"
            if plan.law.isComplete, let order = BigUInt(decimal: plan.declared.groupOrder), order > BigUInt(0) {
                var quotient = order
                if plan.law.elementCount <= 0 || quotient.divide(bySmall: UInt64(plan.law.elementCount)) != 0 {
                    throw .metadataMismatch(subject: subject, reason: "the spec's actions generate \(plan.law.elementCount) elements, which does not divide group_order \(plan.declared.groupOrder)")
                }
            }
            reports.append(VerificationReport(
                subject: subject + " against \(item.check.subject)", elementCount: plan.law.elementCount, allElements: plan.law.isComplete,
                parameterDraws: options.parameterDraws,
                results: families.indices.map { .init(family: families[$0].rawValue, worst: worstDouble[$0], floatWorst: worstFloat[$0]) },
                sensitivity: sensitivity, floatThreshold: options.floatThreshold,
                doubleThreshold: plan.declared.exact ? min(options.doubleThreshold, VerificationHarness.exactDoubleThreshold) : options.doubleThreshold))
        }
        return reports
    }

    /// Runs `python arguments…` in `directory`; a missing interpreter or torch is a clear error.
    static func runPython(
        _ python: String, _ arguments: [String], in directory: URL, seconds: Double, what: String, outputMegabytes: Int = ProcessLimits().outputMegabytes
    ) throws(VerificationError) -> String {
        let result = Subprocess.run([python] + arguments, in: directory, seconds: seconds, memoryMegabytes: nil, outputMegabytes: outputMegabytes)
        if result.timedOut {
            throw .timedOut(what: what + " (Python)", seconds: seconds, flag: "--timeout SECONDS")
        }
        if result.status == 127 || result.output.contains("cannot run \(python)") {
            throw .harnessFailed("cannot run the Python interpreter \"\(python)\" (from \(ProcessInfo.processInfo.environment["ARCHSYNTH_PYTHON"].map { _ in "$ARCHSYNTH_PYTHON" } ?? "the PATH")); \(installHint)")
        }
        if result.output.contains("archsynth-pytorch\tno-torch") {
            throw .harnessFailed("torch is not installed for \(python): \(result.output.split(separator: "\n").first { $0.contains("no-torch") }.map { String($0.split(separator: "\t").last ?? "") } ?? ""); \(installHint)")
        }
        guard result.status == 0 else {
            throw .harnessFailed("\(what): Python exited with status \(result.status):\n\(result.output.suffix(6000))")
        }
        return result.output
    }

    /// The Python side: imports each module, checks its class against the request, and writes
    /// the float32 and float64 outputs of every evaluation (as float64 bytes).
    static let driver = #"""
        import ctypes
        import importlib.util
        import json
        import os
        import sys

        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import torch
        except ImportError as error:
            print("archsynth-pytorch\tno-torch\t" + str(error).replace("\t", " ").replace("\n", " "))
            sys.exit(3)

        with open(sys.argv[1]) as f:
            request = json.load(f)


        def read(path):
            with open(path, "rb") as f:
                data = f.read()
            if not data:
                return torch.zeros(0, dtype=torch.float64)
            return torch.frombuffer(bytearray(data), dtype=torch.float64)


        def write_bytes(path, t):
            t = t.detach().to(torch.float64).reshape(-1).clone()
            with open(path, "wb") as f:
                f.write(ctypes.string_at(t.data_ptr(), t.numel() * 8) if t.numel() > 0 else b"")


        for m, spec in enumerate(request["models"]):
            loader = importlib.util.spec_from_file_location(f"archsynth_checked_{m}", spec["path"])
            module = importlib.util.module_from_spec(loader)
            loader.loader.exec_module(module)
            cls = getattr(module, spec["class"], None)
            if cls is None:
                print(f"archsynth-pytorch\t{m}\tmismatch\tno class {spec['class']} in the module")
                continue
            problems = []
            for key in ["generator_names", "input_dimension", "output_dimension", "weight_count", "bias_count"]:
                if getattr(cls, key, None) != spec[key]:
                    problems.append(f"{key} {getattr(cls, key, None)!r} in the file, {spec[key]!r} expected")
            if problems:
                print(f"archsynth-pytorch\t{m}\tmismatch\t" + "; ".join(problems))
                continue
            model = cls(seed=0)
            d_in, w = spec["input_dimension"], spec["weight_count"]
            for e in spec["evaluations"]:
                p = read(e["parameters"])
                x = read(e["inputs"]).reshape(e["rows"], d_in)
                with torch.no_grad():
                    model.double()
                    model.set_parameters(p[:w], p[w:])
                    y64 = torch.cat([model(c) for c in torch.split(x, 4096)]) if e["rows"] > 0 else x[:, :0]
                    model.float()
                    y32 = torch.cat([model(c.float()) for c in torch.split(x, 4096)]) if e["rows"] > 0 else x[:, :0]
                write_bytes(e["float64"], y64)
                write_bytes(e["float32"], y32)
            print(f"archsynth-pytorch\t{m}\tdone")
        """#
}
