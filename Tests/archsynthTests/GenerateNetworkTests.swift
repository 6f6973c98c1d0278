import Foundation
import XCTest

/// `archsynth generate network` and `archsynth generate from-config` end to end: files,
/// determinism, refusals and exit codes (compiling generated networks is in NetworkTests).
final class GenerateNetworkTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-gen-net-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func testGenerateNetworkWritesDeterministicFile() throws {
        let args = ["generate", "network", "symmetric:5", "--reps", "natural,3*natural,trivial", "--name", "SetNet", "-o", path("SetNet.swift")]
        let r = try CommandRunner.run(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("invariant head"), r.stdout)
        XCTAssertTrue(r.stdout.contains("relu on 15 coordinates"), r.stdout)
        let first = try String(contentsOfFile: path("SetNet.swift"), encoding: .utf8)
        XCTAssertTrue(first.hasPrefix("// DO NOT EDIT."))
        XCTAssertTrue(first.contains("// Type: SetNet\n"))
        // trainStep and the losses come from the runtime's GeneratedNetwork; an invariant head's
        // Loss has softmax cross-entropy.
        XCTAssertTrue(first.contains("public struct SetNet: GeneratedNetwork, GeneratedEquivariantModel {"))
        XCTAssertTrue(first.contains("public typealias Loss = InvariantHeadLoss"))
        XCTAssertFalse(first.contains(dir.path), "no absolute paths in generated files")
        XCTAssertEqual(try CommandRunner.run(args).status, 0)
        XCTAssertEqual(try String(contentsOfFile: path("SetNet.swift"), encoding: .utf8), first, "same command, same bytes")

        let json = try CommandRunner.run(["generate", "network", "hyperoctahedral:3", "--reps", "natural,natural,natural", "--name", "SignedNet", "-o", path("S.swift"), "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(json.stdout.contains("\"tanh on 3 coordinates\""), json.stdout)
        XCTAssertTrue(json.stdout.contains("\"invariant\": false"), json.stdout)
    }

    func testReLURefusedOnNonPermutationHiddenRepresentation() throws {
        let r = try CommandRunner.run([
            "generate", "network", "hyperoctahedral:3", "--reps", "natural,natural,natural", "--nonlinearity", "relu", "--name", "N", "-o", path("N.swift"),
        ])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("pointwise relu would break equivariance on the hidden representation \"natural\""), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("N.swift")), "nothing written on error")
    }

    func testUsageErrors() throws {
        let missing = try CommandRunner.run(["generate", "network", "symmetric:4", "--name", "N", "-o", path("N.swift")])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("--reps"), missing.stderr)
        let single = try CommandRunner.run(["generate", "network", "symmetric:4", "--reps", "natural", "--name", "N", "-o", path("N.swift")])
        XCTAssertEqual(single.status, 64)
        let badKind = try CommandRunner.run(["generate", "network", "symmetric:4", "--reps", "natural,natural", "--nonlinearity", "gelu", "--name", "N", "-o", path("N.swift")])
        XCTAssertEqual(badKind.status, 64)
        XCTAssertTrue(badKind.stderr.contains("auto, relu, tanh or norm"), badKind.stderr)
    }

    func testFromConfig() throws {
        let config = """
            { "spec": "symmetric:4",
              "layers": [{ "name": "PermLayer", "in": "natural", "out": "natural^2" }],
              "networks": [{ "name": "SetNet", "reps": ["natural", "2*natural", "trivial"] }] }
            """
        try config.write(toFile: path("toy.archsynth.json"), atomically: true, encoding: .utf8)
        let out = path("generated")
        let r = try CommandRunner.run(["generate", "from-config", path("toy.archsynth.json"), "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(names, ["PermLayer.swift", "SetNet.swift"])
        let layer = try String(contentsOfFile: out + "/PermLayer.swift", encoding: .utf8)
        XCTAssertTrue(layer.contains("// Command: archsynth generate from-config toy.archsynth.json\n"), layer)
        XCTAssertTrue(try String(contentsOfFile: out + "/SetNet.swift", encoding: .utf8).contains("// Type: SetNet\n"))

        // A spec file relative to the config.
        try """
            { "name": "C3", "generators": ["r"], "relators": ["r^3"],
              "representations": { "points": { "permutation": { "r": [1, 2, 0] } } } }
            """.write(toFile: path("c3.json"), atomically: true, encoding: .utf8)
        try #"{ "spec": "c3.json", "networks": [{ "name": "C3Net", "reps": ["points", "points", "trivial"] }] }"#
            .write(toFile: path("c3.archsynth.json"), atomically: true, encoding: .utf8)
        let rel = try CommandRunner.run(["generate", "from-config", path("c3.archsynth.json"), "-o", out])
        XCTAssertEqual(rel.status, 0, rel.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/C3Net.swift"))

        // "verify": true compiles every file and checks it against the spec's actions before
        // writing (what the build plugin runs); --json lists what was written.
        try #"{ "spec": "c3.json", "verify": true, "layers": [{ "name": "C3Layer", "in": "points", "out": "points" }] }"#
            .write(toFile: path("v.archsynth.json"), atomically: true, encoding: .utf8)
        let verified = try CommandRunner.run(["generate", "from-config", path("v.archsynth.json"), "-o", out, "--json"])
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        XCTAssertTrue(verified.stdout.contains("\"verified\": true"), verified.stdout)
        XCTAssertTrue(verified.stdout.contains("\"C3Layer.swift\""), verified.stdout)

        // Bad configs name the file, the place and the problem.
        try #"{ "spec": "symmetric:4", "networks": [{ "name": "N", "reps": ["natural"] }] }"#
            .write(toFile: path("bad.archsynth.json"), atomically: true, encoding: .utf8)
        let bad = try CommandRunner.run(["generate", "from-config", path("bad.archsynth.json"), "-o", out])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("bad.archsynth.json: line 1"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("at least two"), bad.stderr)
        try #"{ "spec": "symmetric:4", "layer": [] }"#.write(toFile: path("typo.archsynth.json"), atomically: true, encoding: .utf8)
        let typo = try CommandRunner.run(["generate", "from-config", path("typo.archsynth.json"), "-o", out])
        XCTAssertEqual(typo.status, 1, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("unknown key \"layer\""), typo.stderr)
    }
}
