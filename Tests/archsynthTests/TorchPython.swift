import Foundation

/// The Python with torch that the PyTorch-target tests use. When `ARCHSYNTH_PYTHON` is not set,
/// `.ci/torch-venv` finds or creates (once) a virtual environment with a CPU torch in this
/// package's build folder (`.build/torch-venv`, never the user's home) and the test process
/// exports it, so `swift test` alone runs these tests. If that fails, the reason is printed and
/// the tests then fail with the verifier's install instructions.
enum TorchPython {
    static let ready: Void = {
        if let p = ProcessInfo.processInfo.environment["ARCHSYNTH_PYTHON"], !p.isEmpty { return }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = root.appendingPathComponent(".ci/torch-venv")
        var environment = ProcessInfo.processInfo.environment
        environment["ARCHSYNTH_TORCH_VENV"] = root.appendingPathComponent(".build/torch-venv").path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard process.terminationStatus == 0, !path.isEmpty else {
                FileHandle.standardError.write(Data(".ci/torch-venv exited \(process.terminationStatus): no Python with torch\n".utf8))
                return
            }
            setenv("ARCHSYNTH_PYTHON", path, 1)
        } catch {
            FileHandle.standardError.write(Data("cannot run .ci/torch-venv: \(error)\n".utf8))
        }
    }()
}
