import ArchSynth
import ArchSynthRuntime
import Foundation
import XCTest

/// The generated file of a trained registration model: it compiles with -warnings-as-errors,
/// `T()` holds the model file's weights bit for bit and gives the library model's output, and
/// `archsynth verify` (the LawfulModel harness) passes its [W,U] law.
final class RegistrationTemplateTests: XCTestCase {
    func trainedFile(_ kind: RegistrationModel.Kind) throws -> (RegistrationModelFile, RegistrationModel) {
        let model: RegistrationModel
        if kind == .carl {
            model = try RegistrationModelTests.tinyCarl()
        } else {
            var h = RegistrationModel.Hyperparameters(size: 16)
            h.hidden = 2
            h.velocityScale = 2
            model = try RegistrationModel(kind: .constricon, hyper: h)
        }
        let pairs = RegistrationModelTests.pairs(size: 16, count: 3, seed: 41)
        let data = RegistrationDataset(groups: [pairs.flatMap { [$0.moving, $0.fixed] }], size: 16, description: "blobs")
        var options = RegistrationTrainingOptions()
        (options.steps, options.batch, options.learningRate) = (3, 2, 1e-2)
        let result = model.train(data: data, options: options)
        let file = RegistrationModelFile(
            template: kind, hyperparameters: model.hyper,
            training: .init(images: data.description, options: options, pairsSeen: result.pairsSeen, finalLoss: result.finalLoss, seconds: 0),
            parameters: result.parameters)
        return (file, model)
    }

    func testGeneratedFilesLoadTheTrainedWeightsAndMatchTheLibrary() throws {
        let (carlFile, carl) = try trainedFile(.carl)
        let (conFile, con) = try trainedFile(.constricon)
        let pair = RegistrationModelTests.pairs(size: 16, count: 1, seed: 77)[0]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("registration-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let carlSource = try RegistrationTemplateEmitter.source(file: carlFile, typeName: "TrainedCarl", command: "archsynth generate template registration")
        let conSource = try RegistrationTemplateEmitter.source(file: conFile, typeName: "TrainedConstricon", command: "archsynth generate template registration")
        XCTAssertFalse(carlSource.contains(dir.path))
        try carlSource.write(to: dir.appendingPathComponent("TrainedCarl.swift"), atomically: true, encoding: .utf8)
        try conSource.write(to: dir.appendingPathComponent("TrainedConstricon.swift"), atomically: true, encoding: .utf8)
        func literal(_ v: [Double]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }
        let main = """
            import ArchSynthRuntime
            let moving: [Double] = \(literal(pair.moving))
            let fixed: [Double] = \(literal(pair.fixed))
            let c = TrainedCarl(), k = TrainedConstricon()
            print("carl-bits", c.parameters.map { String($0.bitPattern, radix: 16) }.joined(separator: ","))
            print("carl", c.coordinates(moving: moving, fixed: fixed).map { "\\($0)" }.joined(separator: ","))
            print("con-bits", k.parameters.map { String($0.bitPattern, radix: 16) }.joined(separator: ","))
            print("con", k.displacement(moving: moving, fixed: fixed).map { "\\($0)" }.joined(separator: ","))
            """
        try main.write(to: dir.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        let harness = VerificationHarness(compilerFlags: ["-warnings-as-errors"])
        let runtime = try RuntimeModule.build(swiftc: harness.swiftc, optimization: "-O")
        let binary = dir.appendingPathComponent("run").path
        let compile = try run(
            [harness.swiftc, "-O", "-swift-version", "6", "-warnings-as-errors", "-module-name", "Generated", "-I", runtime.path, "-L", runtime.path, "-lArchSynthRuntime",
             "TrainedCarl.swift", "TrainedConstricon.swift", "main.swift", "-o", binary], in: dir)
        XCTAssertEqual(compile.status, 0, compile.output)
        guard compile.status == 0 else { return }
        let out = try run([binary], in: dir)
        XCTAssertEqual(out.status, 0, out.output)
        var lines: [String: [String]] = [:]
        for line in out.output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { lines[parts[0]] = parts[1].split(separator: ",").map(String.init) }
        }
        XCTAssertEqual(lines["carl-bits"], carlFile.parameters.map { String($0.bitPattern, radix: 16) })
        XCTAssertEqual(lines["con-bits"], conFile.parameters.map { String($0.bitPattern, radix: 16) })
        let carlExpected = carl.coordinates(carlFile.parameters, moving: pair.moving, fixed: pair.fixed)
        let identity: [Double] = Warp.identityMap(height: 16, width: 16)
        let conExpected = zip(con.coordinates(conFile.parameters, moving: pair.moving, fixed: pair.fixed), identity).map { $0 - $1 }
        let carlGot = (lines["carl"] ?? []).compactMap(Double.init), conGot = (lines["con"] ?? []).compactMap(Double.init)
        XCTAssertEqual(carlGot.count, 512)
        XCTAssertEqual(conGot.count, 512)
        for k in carlGot.indices { XCTAssertEqual(carlGot[k], carlExpected[k], accuracy: 1e-9) }
        for k in conGot.indices { XCTAssertEqual(conGot[k], conExpected[k], accuracy: 1e-9) }

        // The file's law, through the harness `archsynth verify FILE.swift` runs.
        let reports = try harness.verify(file: dir.appendingPathComponent("TrainedCarl.swift"))
        XCTAssertFalse(reports.isEmpty)
        for r in reports { XCTAssertTrue(r.passed, r.text) }
    }

    func run(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.currentDirectoryURL = dir
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
