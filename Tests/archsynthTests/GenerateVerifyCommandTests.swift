import Foundation
import XCTest

/// End-to-end tests of `archsynth generate layer` and `archsynth verify` (both forms): run the
/// built binary, compare output, files on disk and exit codes (0, 64 usage, 1 failure), and
/// check that verification catches broken generated code (mutation tests).
final class GenerateVerifyCommandTests: XCTestCase {
    func run(_ arguments: [String], in directory: URL? = nil) throws -> CommandResult {
        try CommandRunner.run(arguments, in: directory)
    }

    func temporaryDirectory() throws -> URL { try temporaryDirectory(prefix: "generate") }

    func contents(_ dir: URL) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() }

    func testGenerateLayerWritesDeterministicFile() throws {
        let dir = try temporaryDirectory()
        let args = ["generate", "layer", "symmetric:5", "--in", "natural^2", "--out", "natural", "--name", "Pool5", "-o", "Pool5.swift"]
        let r = try run(args, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("wrote Pool5.swift: Pool5, 25 → 5, 5 weights, 1 bias parameters"), r.stdout)
        XCTAssertTrue(r.stdout.contains("strategy: symmetric-closed-form"), r.stdout)
        let first = try String(contentsOf: dir.appendingPathComponent("Pool5.swift"), encoding: .utf8)
        XCTAssertTrue(first.hasPrefix("// DO NOT EDIT.\n"))
        XCTAssertTrue(first.contains("// Command: archsynth generate layer symmetric:5 --in natural^2 --out natural --name Pool5 -o Pool5.swift\n"))
        XCTAssertFalse(first.contains(dir.path), "no absolute paths")
        XCTAssertEqual(try run(args, in: dir).status, 0)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("Pool5.swift"), encoding: .utf8), first, "same bytes")
        XCTAssertEqual(contents(dir), ["Pool5.swift"], "no temporary files left behind")

        let json = try run(args + ["--json"], in: dir)
        XCTAssertEqual(json.status, 0)
        XCTAssertTrue(json.stdout.contains("\"strategy\": \"symmetric-closed-form\""), json.stdout)
        XCTAssertTrue(json.stdout.contains("\"weightCount\": 5"), json.stdout)
    }

    func testBadInputWritesNothing() throws {
        let dir = try temporaryDirectory()
        let base = ["generate", "layer", "symmetric:4", "--in", "natural", "--out", "natural"]
        let badName = try run(base + ["--name", "my-layer", "-o", "L.swift"], in: dir)
        XCTAssertEqual(badName.status, 64)
        XCTAssertTrue(badName.stderr.contains("invalid type name \"my-layer\""), badName.stderr)
        let keyword = try run(base + ["--name", "struct", "-o", "L.swift"], in: dir)
        XCTAssertEqual(keyword.status, 64)
        let unknownRep = try run(["generate", "layer", "symmetric:4", "--in", "nope", "--out", "natural", "--name", "L", "-o", "L.swift"], in: dir)
        XCTAssertEqual(unknownRep.status, 1)
        XCTAssertTrue(unknownRep.stderr.contains("nope"), unknownRep.stderr)
        let forced = try run(["generate", "layer", "dihedral:5", "--in", "natural", "--out", "natural", "--name", "L", "-o", "L.swift", "--strategy", "symmetric-closed-form"], in: dir)
        XCTAssertEqual(forced.status, 1)
        XCTAssertTrue(forced.stderr.contains("symmetric-closed-form"), forced.stderr)
        let badStrategy = try run(base + ["--name", "L", "-o", "L.swift", "--strategy", "fast"], in: dir)
        XCTAssertEqual(badStrategy.status, 64)
        let missing = try run(base + ["--name", "L"], in: dir)
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("-o"), missing.stderr)
        let noDirectory = try run(base + ["--name", "L", "-o", "no/such/dir/L.swift"], in: dir)
        XCTAssertEqual(noDirectory.status, 1)
        XCTAssertEqual(contents(dir), [], "nothing written on any error")
    }

    func testVerifySpecForm() throws {
        let r = try run(["verify", "symmetric:4", "--in", "natural^2", "--out", "natural^2"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("elements: all 24 elements"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("PASS\n"), r.stdout)
        let json = try run(["verify", "hyperoctahedral:3", "--in", "natural", "--out", "natural^2", "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(json.stdout.contains("\"passed\": true"), json.stdout)
    }

    /// A layer whose output has no invariant vector maps the constant input family to zero; with
    /// a Float64 basis (A5's golden-ratio rotations) that zero is rounding noise, which verify
    /// once compared with its own rotation (relative error 2: `--verify` refused the correct file,
    /// found by a sweep of every catalog group). Both verify forms and --verify pass now.
    func testLayersThatAnnihilateConstantsVerify() throws {
        let dir = try temporaryDirectory()
        let g = try run(["generate", "layer", "A5", "--in", "vertices", "--out", "rotation", "--name", "Spin", "-o", "Spin.swift", "--verify"], in: dir)
        XCTAssertEqual(g.status, 0, g.stdout + g.stderr)
        XCTAssertTrue(g.stdout.contains("Float64 constants"), g.stdout)
        let v = try run(["verify", "A5", "--in", "vertices", "--out", "rotation"])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
        XCTAssertTrue(v.stdout.contains("elements: all 60 elements"), v.stdout)
        // A network of exact layers with a norm gate rounds in the gate (1.7e-12 on 1e-4-scale
        // inputs): it is held to the Double threshold of Float64 computations, not the exact one.
        let n = try run(["generate", "network", "D4", "--reps", "plane,2*regular,plane", "--nonlinearity", "norm",
                         "--name", "Gate", "-o", "Gate.swift", "--verify"], in: dir)
        XCTAssertEqual(n.status, 0, n.stdout + n.stderr)
        let nv = try run(["verify", "Gate.swift", "--spec", "D4", "--reps", "plane,2*regular,plane"], in: dir)
        XCTAssertEqual(nv.status, 0, nv.stdout + nv.stderr)
        XCTAssertTrue(nv.stdout.contains("Double 1.00e-09"), nv.stdout)
    }

    /// Mutation tests: a generated tied layer passes `verify`; changing one tied weight index or
    /// flipping one sign in the baked table makes it fail with exit 1.
    func testVerifyCatchesMutatedGeneratedCode() throws {
        let dir = try temporaryDirectory()
        let gen = try run(["generate", "layer", "dihedral:5", "--in", "natural", "--out", "natural", "--name", "Pentagon", "-o", "Pentagon.swift", "--strategy", "tied"], in: dir)
        XCTAssertEqual(gen.status, 0, gen.stderr)
        XCTAssertTrue(gen.stdout.contains("strategy: tied"), gen.stdout)
        let original = try String(contentsOf: dir.appendingPathComponent("Pentagon.swift"), encoding: .utf8)

        /// Replaces the first value of `static let NAME: [T] = [` with `transform(value)`.
        func mutate(_ table: String, _ transform: (Int) -> Int) throws -> String {
            let marker = "static let \(table): "
            let start = try XCTUnwrap(original.range(of: marker))
            let open = try XCTUnwrap(original.range(of: "= [", range: start.upperBound..<original.endIndex))
            var i = open.upperBound
            while original[i] == " " || original[i] == "\n" { i = original.index(after: i) }
            var j = i
            while original[j] == "-" || original[j].isNumber { j = original.index(after: j) }
            let value = try XCTUnwrap(Int(original[i..<j]))
            XCTAssertNotEqual(transform(value), value)
            return original.replacingCharacters(in: i..<j, with: String(transform(value)))
        }
        var mutants = [
            ("IndexMutant.swift", try mutate("tiedIndex") { $0 == 0 ? 1 : 0 }),
            ("SignMutant.swift", try mutate("tiedSign") { -$0 }),
        ]
        // The automatic choice for this dense table materializes W from the sparse basis;
        // moving one basis entry to the next position of W must fail too.
        let dense = try run(["generate", "layer", "dihedral:5", "--in", "natural", "--out", "natural", "--name", "Pentagon", "-o", "Dense.swift"], in: dir)
        XCTAssertTrue(dense.stdout.contains("strategy: dense"), dense.stdout)
        XCTAssertEqual(try run(["verify", "Dense.swift"], in: dir).status, 0)
        let denseSource = try String(contentsOf: dir.appendingPathComponent("Dense.swift"), encoding: .utf8)
        let marker = try XCTUnwrap(denseSource.range(of: "static let basisPosition: [Int32] = ["))
        var i = marker.upperBound
        while denseSource[i] == " " || denseSource[i] == "\n" { i = denseSource.index(after: i) }
        var j = i
        while denseSource[j].isNumber { j = denseSource.index(after: j) }
        let position = try XCTUnwrap(Int(denseSource[i..<j]))
        mutants.append(("PositionMutant.swift", denseSource.replacingCharacters(in: i..<j, with: String(position + 1))))
        let ok = try run(["verify", "Pentagon.swift"], in: dir)
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        // Without --spec the actions are rebuilt from the spec and representations of the header.
        XCTAssertTrue(ok.stdout.contains("against dihedral:5 --in natural --out natural (from the header)"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("elements: all 10 elements"), ok.stdout)
        XCTAssertTrue(ok.stdout.hasSuffix("PASS\n"), ok.stdout)
        for (name, text) in mutants {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let r = try run(["verify", name, "--optimization", "-Onone"], in: dir)
            XCTAssertEqual(r.status, 1, "\(name) must fail verification:\n\(r.stdout)\(r.stderr)")
            XCTAssertTrue(r.stdout.hasSuffix("FAIL\n"), r.stdout)
            XCTAssertTrue(r.stderr.contains("equivariance check failed"), r.stderr)
        }
        let notLayer = try run(["verify", "Missing.swift"], in: dir)
        XCTAssertEqual(notLayer.status, 1)
    }

    /// `verify FILE --spec`: the actions come from the spec, not from the file. A D4 layer whose
    /// first tied index is changed and whose baked input and output actions are both replaced by
    /// the identity (consistently wrong: the kernel is equivariant for the baked actions) must
    /// fail against the spec (issue 12).
    func testVerifyAgainstTheSpecCatchesConsistentlyWrongActions() throws {
        let dir = try temporaryDirectory()
        let gen = try run(["generate", "layer", "dihedral:4", "--in", "natural", "--out", "natural", "--name", "Square", "-o", "Square.swift", "--strategy", "tied"], in: dir)
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let original = try String(contentsOf: dir.appendingPathComponent("Square.swift"), encoding: .utf8)
        let spec = ["--spec", "dihedral:4", "--in", "natural", "--out", "natural", "--optimization", "-Onone"]
        let good = try run(["verify", "Square.swift"] + spec, in: dir)
        XCTAssertEqual(good.status, 0, good.stdout + good.stderr)
        XCTAssertTrue(good.stdout.contains("against dihedral:4 --in natural --out natural"), good.stdout)
        XCTAssertTrue(good.stdout.contains("elements: all 8 elements"), good.stdout)
        XCTAssertTrue(good.stdout.hasSuffix("PASS\n"), good.stdout)

        /// Replaces the values of `static let NAME: [T] = [ … ]` with `values`.
        func replacing(_ text: String, _ table: String, with values: [Int]) throws -> String {
            let start = try XCTUnwrap(text.range(of: "static let \(table): "))
            let open = try XCTUnwrap(text.range(of: "= [", range: start.upperBound..<text.endIndex))
            let close = try XCTUnwrap(text.range(of: "]", range: open.upperBound..<text.endIndex))
            return text.replacingCharacters(in: open.upperBound..<close.lowerBound, with: values.map { "\($0),\n" }.joined())
        }
        var mutant = try replacing(original, "inputImages", with: [0, 1, 2, 3, 0, 1, 2, 3])
        mutant = try replacing(mutant, "outputImages", with: [0, 1, 2, 3, 0, 1, 2, 3])
        let index = try XCTUnwrap(mutant.range(of: "static let tiedIndex: "))
        let open = try XCTUnwrap(mutant.range(of: "= [", range: index.upperBound..<mutant.endIndex))
        var i = open.upperBound
        while mutant[i] == " " || mutant[i] == "\n" { i = mutant.index(after: i) }
        let j = try XCTUnwrap(mutant[i...].firstIndex(of: ","))
        let first = try XCTUnwrap(Int(mutant[i..<j]))
        mutant = mutant.replacingCharacters(in: i..<j, with: String(first == 0 ? 1 : 0))
        try mutant.write(to: dir.appendingPathComponent("Mutant.swift"), atomically: true, encoding: .utf8)
        let bad = try run(["verify", "Mutant.swift"] + spec, in: dir)
        XCTAssertEqual(bad.status, 1, "a consistently wrong file must fail against the spec:\n\(bad.stdout)\(bad.stderr)")
        XCTAssertTrue(bad.stderr.contains("action of generator"), bad.stderr)
        // Without --spec the actions come from the header's spec and representations, not from the
        // file (issue 18): the same file fails, naming the action it declares wrongly.
        let alone = try run(["verify", "Mutant.swift", "--optimization", "-Onone"], in: dir)
        XCTAssertEqual(alone.status, 1, "a consistently wrong file must fail without --spec too:\n\(alone.stdout)\(alone.stderr)")
        XCTAssertTrue(alone.stderr.contains("the file's action of generator") && alone.stderr.contains("from the header"), alone.stderr)
        // A header that names no spec, or a spec archsynth cannot rebuild, is refused with the flags to give.
        for (name, header) in [("NoHeader.swift", ""), ("BadSpec.swift", "// Spec: no_such_group.json (group X, order 8)\n// Input: natural (dimension 4); output: natural (dimension 4)\n")] {
            let stripped = original.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("// Spec: ") && !$0.hasPrefix("// Input: ") }
            try (header + stripped.joined(separator: "\n")).write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let r = try run(["verify", name, "--optimization", "-Onone"], in: dir)
            XCTAssertEqual(r.status, 1, name + r.stdout + r.stderr)
            XCTAssertTrue(r.stderr.contains("cannot verify this file on its own") && r.stderr.contains("--spec SPEC --in EXPR --out EXPR"), r.stderr)
            XCTAssertFalse(r.stdout.contains("PASS"), r.stdout)
        }

        // A file that does not fit the spec is an error naming what differs.
        let other = try run(["verify", "Square.swift", "--spec", "dihedral:5", "--in", "natural", "--out", "natural"], in: dir)
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stderr.contains("input dimension 4 in the file, 5 in the spec"), other.stderr)
        // --in/--out with a file need --spec; --spec needs --in/--out or --reps.
        XCTAssertEqual(try run(["verify", "Square.swift", "--in", "natural", "--out", "natural"], in: dir).status, 64)
        XCTAssertEqual(try run(["verify", "Square.swift", "--spec", "dihedral:4"], in: dir).status, 64)
    }

    /// The harness's result channel cannot be forged from the checked file (issue 18): a file whose
    /// `forward` prints the result lines of a passing run and then calls `exit(0)` fails, and so
    /// does one that only exits early.
    func testForgedHarnessOutputAndEarlyExitFail() throws {
        let dir = try temporaryDirectory()
        let gen = try run(["generate", "layer", "dihedral:4", "--in", "natural", "--out", "natural", "--name", "Square", "-o", "Square.swift", "--strategy", "tied"], in: dir)
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let original = try String(contentsOf: dir.appendingPathComponent("Square.swift"), encoding: .utf8)
        let families = ["standard-normal", "normal-x1e4", "normal-x1e-4", "cauchy", "one-hot", "constant", "normal-x1e6", "normal-x1e8", "tied-x1e6"]
        let forged = (["elements\t8\t1", "metadata\t8"] + families.map { "family\t\($0)\t0.0\t0.0" } + ["sensitivity\t1.0\t3"])
            .map { "archsynth-verify\\t0\\t" + $0.replacingOccurrences(of: "\t", with: "\\t") }
        let forge = "\nimport Glibc\nfunc archsynthForge() {\n" + forged.map { "    Swift.print(\"\($0)\")\n" }.joined() + "    Glibc.exit(0)\n}\n"
        // The file's Double forward kernel (every forward pass the harness makes goes through it).
        let marker = "public static func _forwardKernel(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int, _ c: UnsafePointer<Double>) {"
        XCTAssertTrue(original.contains(marker))
        for (name, body) in [("Forged.swift", forge), ("EarlyExit.swift", "\nimport Glibc\nfunc archsynthForge() { Glibc.exit(0) }\n")] {
            let text = original.replacingOccurrences(of: marker, with: marker + " archsynthForge();") + body
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let r = try run(["verify", name, "--optimization", "-Onone"], in: dir)
            XCTAssertEqual(r.status, 1, name + ":\n" + r.stdout + r.stderr)
            XCTAssertFalse(r.stdout.contains("PASS"), r.stdout)
            XCTAssertTrue(r.stderr.contains("ended before writing its final result line"), r.stderr)
        }
    }

    /// `generate … --verify` checks the file against the spec before writing it; networks are
    /// checked with `--reps` (their first and last representations).
    func testGenerateVerifyAndNetworkSpecVerify() throws {
        let dir = try temporaryDirectory()
        let layer = try run(["generate", "layer", "symmetric:4", "--in", "natural", "--out", "natural^2", "--name", "Lift", "-o", "Lift.swift", "--verify"], in: dir)
        XCTAssertEqual(layer.status, 0, layer.stdout + layer.stderr)
        XCTAssertEqual(contents(dir), ["Lift.swift"])
        let net = try run(["generate", "network", "symmetric:4", "--reps", "natural,2*natural,trivial", "--name", "Net", "-o", "Net.swift"], in: dir)
        XCTAssertEqual(net.status, 0, net.stderr)
        let r = try run(["verify", "Net.swift", "--spec", "symmetric:4", "--reps", "natural,2*natural,trivial", "--optimization", "-Onone"], in: dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("against symmetric:4 --reps natural,2*natural,trivial"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("PASS\n"), r.stdout)
    }
}
