import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Limits on the processes `archsynth verify` starts (the compiler and the compiled harness).
/// A generated file is untrusted code: a `forward` that never returns or allocates without
/// bound must end in a clear error, not hang or exhaust the machine.
///
/// ```swift
/// var limits = ProcessLimits()
/// limits.harnessSeconds = 60      // --timeout 60
/// ```
public struct ProcessLimits: Sendable {
    /// Wall-clock seconds the compiled harness may run (`--timeout SECONDS`). Default 600.
    public var harnessSeconds: Double = 600
    /// Wall-clock seconds one compiler invocation may run. Default 1,800 (a 32 MB factored
    /// layer compiles in seconds; the runtime module in about a minute on a loaded machine).
    public var compileSeconds: Double = 1_800
    /// Address space of the harness process in MB (`--memory-limit MB`, `ulimit -v`). Default 8,192.
    public var memoryMegabytes: Int = 8_192
    /// Largest output a child may write, in MB (`ulimit -f`). Default 256.
    public var outputMegabytes: Int = 256

    public init() {}
}

/// Runs a program with a time limit, optionally a memory limit, and its output collected in a
/// file (never a pipe that a stuck child could hold open). Every child and every temporary
/// folder is registered in `ChildProcesses`, so SIGINT/SIGTERM of archsynth ends the child's
/// whole process group and removes the folders.
enum Subprocess {
    /// The compiler both verify harnesses use: `$ARCHSYNTH_SWIFTC`, else `swiftc` on the PATH.
    static var swiftc: String {
        let env = ProcessInfo.processInfo.environment["ARCHSYNTH_SWIFTC"] ?? ""
        return env.isEmpty ? "swiftc" : env
    }

    struct Result {
        var status: Int32
        var output: String
        /// The time limit ended the process group.
        var timedOut: Bool = false
        /// The process ended by a signal (e.g. the memory limit made an allocation fail).
        var signaled: Bool = false
    }

    /// Runs `arguments` (looked up on the PATH) in `directory`.
    /// - Parameters:
    ///   - seconds: wall-clock limit; the whole process group is killed when it passes.
    ///   - memoryMegabytes: address-space limit (`ulimit -v`), nil for none.
    static func run(
        _ arguments: [String], in directory: URL, seconds: Double, memoryMegabytes: Int? = nil, outputMegabytes: Int = 256,
        input: String? = nil
    ) -> Result {
        let fm = FileManager.default
        let outURL = directory.appendingPathComponent(".archsynth-output-\(UUID().uuidString).txt")
        // A new file of its own (O_EXCL), for the child's output.
        let fd = open(outURL.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            return Result(status: 127, output: "cannot create \(outURL.path) for the output of \(arguments[0]): \(String(cString: strerror(errno)))")
        }
        let out = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        defer { try? fm.removeItem(at: outURL) }
        var limits = "ulimit -f \(max(1, outputMegabytes) * 2048) 2>/dev/null; "
        if let m = memoryMegabytes { limits += "ulimit -v \(max(1, m) * 1024) || exit 125; " }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // `exec` keeps the pid: the limits apply to the program itself, and its pid is its group.
        process.arguments = ["-c", limits + "exec \"$0\" \"$@\""] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = out
        process.standardError = out
        // `input` goes through a pipe that is closed once written: the child reads it once, and
        // nothing of it stays on disk.
        let pipe = input.map { _ in Pipe() }
        process.standardInput = pipe ?? FileHandle.nullDevice
        do { try process.run() } catch {
            try? out.close()
            return Result(status: 127, output: "cannot run \(arguments[0]): \(error.localizedDescription)")
        }
        if let pipe, let input {
            signal(SIGPIPE, SIG_IGN)  // a child that ended at once must not end archsynth
            try? pipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try? pipe.fileHandleForWriting.close()
        }
        let pid = process.processIdentifier
        ChildProcesses.shared.add(pid: pid)
        let deadline = Date().addingTimeInterval(seconds)
        var timedOut = false
        while process.isRunning {
            if Date() >= deadline {
                timedOut = true
                ChildProcesses.killGroup(pid)
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        // Anything the child started in its group (compiler frontends) ends with it.
        ChildProcesses.killGroup(pid)
        ChildProcesses.shared.remove(pid: pid)
        try? out.close()
        let data = fm.contents(atPath: outURL.path) ?? Data()
        return Result(
            status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), timedOut: timedOut,
            signaled: process.terminationReason == .uncaughtSignal)
    }
}

/// The children and temporary folders of a running verification, so that SIGINT, SIGTERM or
/// SIGHUP of archsynth ends each child's process group (Foundation starts children in their own
/// group, which the terminal's signal does not reach) and removes the folders before exiting.
public final class ChildProcesses: @unchecked Sendable {
    public static let shared = ChildProcesses()
    private let lock = NSLock()
    private var pids: Set<Int32> = []
    private var directories: Set<String> = []
    private var sources: [DispatchSourceSignal] = []
    /// Serializes folder removals: the signal handler and the thread that owns a folder may both
    /// remove it, and two concurrent recursive removals can each stop at the other's deletions.
    private let removal = NSLock()

    private func removeTree(_ path: String) {
        removal.withLock { removeTreeLocked(path) }
    }

    private func removeTreeLocked(_ path: String) {
        for _ in 0..<3 where FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
    }

    func add(pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
    func remove(pid: Int32) { lock.withLock { _ = pids.remove(pid) } }
    func add(directory: URL) { lock.withLock { _ = directories.insert(directory.path) } }
    func remove(directory: URL) {
        // Removed before it leaves the registry, so a signal meanwhile still finds it.
        removeTree(directory.path)
        lock.withLock { _ = directories.remove(directory.path) }
    }

    /// SIGKILL to process group `pid` (and to `pid` itself, should it have left the group).
    static func killGroup(_ pid: Int32) {
        guard pid > 0 else { return }
        _ = kill(-pid, SIGKILL)
        _ = kill(pid, SIGKILL)
    }

    /// Ends every registered child group and removes every registered folder.
    public func cleanUp() {
        let (p, d) = lock.withLock { (pids, directories) }
        for pid in p { ChildProcesses.killGroup(pid) }
        for dir in d { removeTree(dir) }
    }

    /// Installs handlers for SIGINT, SIGTERM and SIGHUP that clean up and exit with 128 + the
    /// signal number. Idempotent; the command-line tool calls it before verifying.
    public func installSignalHandlers() {
        lock.withLock {
            guard sources.isEmpty else { return }
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { [unowned self] in
                    // Hold the removal lock until exit: a removal in progress on another thread
                    // finishes first, and none starts that `exit` could cut short.
                    self.removal.lock()
                    let (p, d) = self.lock.withLock { (self.pids, self.directories) }
                    for pid in p { ChildProcesses.killGroup(pid) }
                    for dir in d { self.removeTreeLocked(dir) }
                    exit(128 + sig)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}

/// A temporary folder registered for cleanup on a signal; `remove()` deletes it.
public struct TemporaryFolder: Sendable {
    public let url: URL

    public init(prefix: String) throws(VerificationError) {
        let fm = FileManager.default
        url = fm.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        do { try fm.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw .io("cannot create \(url.path): \(error.localizedDescription)")
        }
        ChildProcesses.shared.add(directory: url)
    }

    public func remove() { ChildProcesses.shared.remove(directory: url) }
}

/// Runs a compiled verification harness under `ProcessLimits` and turns a timeout, a signal or a
/// failing exit into a `VerificationError` that names the limit and its flag.
enum HarnessProcess {
    static func run(binary: String, in directory: URL, subject: String, limits: ProcessLimits, input: String? = nil) throws(VerificationError) -> String {
        let result = Subprocess.run(
            [binary], in: directory, seconds: limits.harnessSeconds, memoryMegabytes: limits.memoryMegabytes, outputMegabytes: limits.outputMegabytes,
            input: input)
        if result.timedOut {
            throw .timedOut(what: "checking \(subject) (the compiled harness)", seconds: limits.harnessSeconds, flag: "--timeout SECONDS")
        }
        guard result.status == 0 else {
            if result.signaled || result.output.contains("allocat") {
                throw .harnessFailed("the harness for \(subject) was ended (exit status or signal \(result.status)); if it ran out of memory, the limit is \(limits.memoryMegabytes) MB (--memory-limit MB):\n\(result.output.suffix(4000))")
            }
            throw .harnessFailed(String(result.output.suffix(8000)))
        }
        return result.output
    }
}
