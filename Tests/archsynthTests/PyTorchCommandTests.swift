import Foundation
import XCTest

/// End-to-end tests of `generate … --target pytorch` and `verify FILE.py`: the built binary,
/// files on disk, exit codes (0, 64 usage, 1 failure) and messages. One test starts Python with
/// torch (`$ARCHSYNTH_PYTHON`, set by .ci/run); the missing-torch test uses a stand-in torch that
/// fails to import, so it does not depend on what is installed.
final class PyTorchCommandTests: ScratchDirectoryTestCase {
    override class func setUp() {
        super.setUp()
        TorchPython.ready
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.run(arguments, in: directory, environment: environment)
    }

    var files: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() }

    func testGenerateThenVerifyUnderTorch() throws {
        let r = try run(["generate", "layer", "dihedral:4", "--in", "2*regular", "--out", "natural", "--name", "Pool", "-o", "Pool.py", "--target", "pytorch"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("class Pool(torch.nn.Module), 16 → 4"), r.stdout)
        XCTAssertEqual(files, ["Pool.py", "Pool.safetensors"], "the module and its basis file, nothing else")
        let source = try String(contentsOf: directory.appendingPathComponent("Pool.py"), encoding: .utf8)
        XCTAssertTrue(source.hasPrefix("# DO NOT EDIT.\n"))
        XCTAssertTrue(source.contains("# Command: archsynth generate layer dihedral:4 --in '2*regular' --out natural --name Pool -o Pool.py --target pytorch\n"), source)
        XCTAssertFalse(source.contains(directory.path), "no absolute paths")
        let v = try run(["verify", "Pool.py", "--spec", "dihedral:4", "--in", "2*regular", "--out", "natural"])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
        XCTAssertTrue(v.stdout.contains("PASS"), v.stdout)
        XCTAssertTrue(v.stdout.contains("8 elements"), v.stdout)
        // Against the wrong spec: a mismatch named, exit 1.
        let w = try run(["verify", "Pool.py", "--spec", "dihedral:4", "--in", "natural", "--out", "natural"])
        XCTAssertEqual(w.status, 1, w.stdout + w.stderr)
        XCTAssertTrue(w.stderr.contains("input_dimension 16 in the file, 4 expected"), w.stderr)
    }

    /// A module whose check would exchange more values with Python than the verifier allows
    /// (p4m on a 6 × 6 torus, one trivial field → one regular field: 36 → 10,368, over all 288
    /// elements) is refused before Python starts, naming the count and what to do; it used to
    /// reach Python and die there when an output file passed the 256 MB write limit.
    func testAnOversizedCheckIsRefusedWithTheCount() throws {
        let spec = ["--spec", "wallpaper:p4m:6x6", "--in", "field(trivial)", "--out", "field(regular)"]
        let g = try run(["generate", "layer", "wallpaper:p4m:6x6", "--in", "field(trivial)", "--out", "field(regular)", "--name", "Wide", "-o", "Wide.py", "--target", "pytorch"])
        XCTAssertEqual(g.status, 0, g.stderr)
        let v = try run(["verify", "Wide.py"] + spec)
        XCTAssertNotEqual(v.status, 0, v.stdout)
        XCTAssertTrue(v.stderr.contains("with 36 values in and 10368 out"), v.stderr)
        XCTAssertTrue(v.stderr.contains("above 50000000; lower --max-elements"), v.stderr)
        XCTAssertFalse(v.stderr.contains("Traceback"), v.stderr)
    }

    /// A lattice layer (p4m on 8 × 8, --support 3): generate, verify over all 512 elements, a copy
    /// with zero padding fails (exit 1), the wrong field type is a named mismatch, and a lattice
    /// network is refused with what to do.
    func testLatticeLayerGenerateVerifyAndATamperedCopy() throws {
        let fields = ["--in", "field(trivial)", "--out", "2*field(regular)"]
        let g = try run(["generate", "layer", "wallpaper:p4m:8x8"] + fields + ["--support", "3", "--name", "Lift", "-o", "Lift.py", "--target", "pytorch"])
        XCTAssertEqual(g.status, 0, g.stderr)
        XCTAssertTrue(g.stdout.contains("class Lift(torch.nn.Module), 64 → 1024, 18 weights"), g.stdout)
        XCTAssertEqual(files, ["Lift.py", "Lift.safetensors"])
        let v = try run(["verify", "Lift.py", "--spec", "wallpaper:p4m:8x8"] + fields)
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
        XCTAssertTrue(v.stdout.contains("all 512 elements") && v.stdout.contains("PASS"), v.stdout)
        // The same module with zero padding (it reads Lift.safetensors beside it).
        let source = try String(contentsOf: directory.appendingPathComponent("Lift.py"), encoding: .utf8)
        XCTAssertTrue(source.contains("mode=\"circular\""))
        try source.replacingOccurrences(of: "mode=\"circular\"", with: "mode=\"constant\"").write(to: directory.appendingPathComponent("Bad.py"), atomically: true, encoding: .utf8)
        let bad = try run(["verify", "Bad.py", "--spec", "wallpaper:p4m:8x8"] + fields)
        XCTAssertEqual(bad.status, 1, bad.stdout + bad.stderr)
        XCTAssertTrue(bad.stdout.contains("FAIL"), bad.stdout)
        let wrong = try run(["verify", "Lift.py", "--spec", "wallpaper:p4m:8x8", "--in", "field(trivial)", "--out", "field(regular)"])
        XCTAssertEqual(wrong.status, 1, wrong.stdout + wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("output_dimension 1024 in the file, 512 expected"), wrong.stderr)
        let noLattice = try run(["verify", "Lift.py", "--spec", "dihedral:4"] + fields)
        XCTAssertEqual(noLattice.status, 64, noLattice.stderr)
        XCTAssertTrue(noLattice.stderr.contains("is not a wallpaper or space group"), noLattice.stderr)
        let net = try run(["generate", "network", "wallpaper:p4m:8x8", "--reps", "field(trivial),2*field(regular),trivial", "--name", "N", "-o", "N.py", "--target", "pytorch"])
        XCTAssertEqual(net.status, 64, net.stderr)
        XCTAssertTrue(net.stderr.contains("not available for a lattice network") && net.stderr.contains("generate layer wallpaper:p4m:8x8 --in … --out … --support k --target pytorch"), net.stderr)
        let noSpec = try run(["verify", "Lift.py"])
        XCTAssertEqual(noSpec.status, 64, noSpec.stderr)
        XCTAssertTrue(noSpec.stderr.contains("Lift.py is a lattice convolution: check it with archsynth verify Lift.py --spec"), noSpec.stderr)
        XCTAssertEqual(files, ["Bad.py", "Lift.py", "Lift.safetensors"], "nothing written by the refused commands")
        // --verify checks the module under torch before writing it (p6 on 6 × 6: the hexagonal stencil).
        let checked = try run(["generate", "layer", "wallpaper:p6:6x6", "--in", "field(trivial)", "--out", "field(regular)", "--support", "3", "--name", "Hex", "-o", "Hex.py", "--target", "pytorch", "--verify"])
        XCTAssertEqual(checked.status, 0, checked.stderr)
        XCTAssertEqual(files, ["Bad.py", "Hex.py", "Hex.safetensors", "Lift.py", "Lift.safetensors"])
    }

    func testUsageErrorsNameTheProblem() throws {
        let base = ["generate", "layer", "symmetric:3", "--in", "natural", "--out", "natural", "--name", "L"]
        let swiftFile = try run(base + ["-o", "L.swift", "--target", "pytorch"])
        XCTAssertEqual(swiftFile.status, 64)
        XCTAssertTrue(swiftFile.stderr.contains("give -o NAME.py"), swiftFile.stderr)
        let jax = try run(base + ["-o", "L.py", "--target", "jax"])
        XCTAssertEqual(jax.status, 64)
        XCTAssertTrue(jax.stderr.contains("--target must be swift or pytorch, not \"jax\""), jax.stderr)
        let template = try run(["generate", "template", "swap-inversion", "--form", "rigid:3", "--input", "6", "--name", "R", "-o", "R.py", "--target", "pytorch"])
        XCTAssertEqual(template.status, 64)
        XCTAssertTrue(template.stderr.contains("\"generate template swap-inversion\" is generated for Swift only"), template.stderr)
        let keyword = try run(["generate", "layer", "symmetric:3", "--in", "natural", "--out", "natural", "--name", "lambda", "-o", "l.py", "--target", "pytorch"])
        XCTAssertEqual(keyword.status, 1)
        XCTAssertTrue(keyword.stderr.contains("Python keyword"), keyword.stderr)
        try "# Type: X\n".write(to: directory.appendingPathComponent("X.py"), atomically: true, encoding: .utf8)
        let noSpec = try run(["verify", "X.py"])
        XCTAssertEqual(noSpec.status, 64)
        XCTAssertTrue(noSpec.stderr.contains("verify FILE.py needs the spec"), noSpec.stderr)
        XCTAssertEqual(files, ["X.py"], "nothing written by the failing commands")
    }

    func testMissingTorchOrPythonIsAClearError() throws {
        XCTAssertEqual(try run(["generate", "layer", "symmetric:3", "--in", "natural", "--out", "natural", "--name", "L", "-o", "L.py", "--target", "pytorch"]).status, 0)
        let spec = ["verify", "L.py", "--spec", "symmetric:3", "--in", "natural", "--out", "natural"]
        // A python whose `import torch` fails.
        let stand = directory.appendingPathComponent("standin")
        try FileManager.default.createDirectory(at: stand.appendingPathComponent("torch"), withIntermediateDirectories: true)
        try "raise ImportError(\"No module named 'torch' (test stand-in)\")\n".write(to: stand.appendingPathComponent("torch/__init__.py"), atomically: true, encoding: .utf8)
        let python = directory.appendingPathComponent("python-without-torch")
        try "#!/bin/sh\nPYTHONPATH='\(stand.path)' exec python3 \"$@\"\n".write(to: python, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python.path)
        let noTorch = try run(spec, environment: ["ARCHSYNTH_PYTHON": python.path])
        XCTAssertEqual(noTorch.status, 1, noTorch.stdout + noTorch.stderr)
        XCTAssertTrue(noTorch.stderr.contains("torch is not installed"), noTorch.stderr)
        XCTAssertTrue(noTorch.stderr.contains("pip install torch"), noTorch.stderr)
        let missing = try run(spec, environment: ["ARCHSYNTH_PYTHON": directory.appendingPathComponent("no-such-python").path])
        XCTAssertEqual(missing.status, 1, missing.stdout + missing.stderr)
        XCTAssertTrue(missing.stderr.contains("cannot run the Python interpreter"), missing.stderr)
    }
}
