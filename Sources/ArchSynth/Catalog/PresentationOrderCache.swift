import Foundation
import GroupTheory

/// Orders of presentations found by coset enumeration, kept between runs so that `basis`,
/// `generate` and `verify` on a large presented group (W(E7): 2 903 040 cosets, about 2 s)
/// do not enumerate it again on every call. Only orders above `GroupOptions.maxElements`
/// are kept: below it the coset table also lists the elements (characters, `regular`).
///
/// The key is the presentation itself (generator names and relator texts, in file order),
/// which is all the order depends on; each entry stores that text and is used only when it
/// matches exactly. Location: `$ARCHSYNTH_CACHE`, else `$XDG_CACHE_HOME/archsynth`, else
/// `~/.cache/archsynth` (never inside the checkout); `ARCHSYNTH_CACHE=off` disables it.
/// Failures to read or write the cache are ignored (it is only a speed-up).
///
/// ```swift
/// let cache = PresentationOrderCache.default
/// cache?.order(for: spec)   // nil until one enumeration of the same presentation finished
/// ```
public struct PresentationOrderCache: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The cache named by the environment, or `nil` when disabled or no home is known.
    public static var `default`: PresentationOrderCache? {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["ARCHSYNTH_CACHE"], !dir.isEmpty {
            return dir == "off" ? nil : PresentationOrderCache(directory: URL(fileURLWithPath: dir))
        }
        if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return PresentationOrderCache(directory: URL(fileURLWithPath: xdg).appendingPathComponent("archsynth"))
        }
        if let home = env["HOME"], home.hasPrefix("/") {
            return PresentationOrderCache(directory: URL(fileURLWithPath: home).appendingPathComponent(".cache/archsynth"))
        }
        return nil
    }

    /// The text an entry is keyed by: generators and relators, one per line.
    static func key(_ spec: GroupSpec) -> String? {
        guard let relators = spec.relators else { return nil }
        return "generators " + spec.generators.joined(separator: " ") + "\n"
            + relators.map { "relator " + $0.value }.joined(separator: "\n") + "\n"
    }

    static let header = "archsynth presentation order cache v1\n"

    func file(for key: String) -> URL {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a 64
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        let name = String(hash, radix: 16)
        return directory.appendingPathComponent("presentations").appendingPathComponent(
            String(repeating: "0", count: 16 - name.count) + name + ".txt")
    }

    /// The cached order of `spec`'s presentation, if an entry with exactly its text exists.
    public func order(for spec: GroupSpec) -> BigUInt? {
        guard let key = PresentationOrderCache.key(spec),
              let data = FileManager.default.contents(atPath: file(for: key).path)
        else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix(PresentationOrderCache.header) else { return nil }
        let body = text.dropFirst(PresentationOrderCache.header.count)
        guard let newline = body.firstIndex(of: "\n"), body[..<newline].hasPrefix("order "),
              String(body[body.index(after: newline)...]) == key
        else { return nil }
        return BigUInt(decimal: String(body[..<newline].dropFirst("order ".count)))
    }

    /// Records the order of `spec`'s presentation (atomically; errors ignored).
    public func store(_ order: BigUInt, for spec: GroupSpec) {
        guard let key = PresentationOrderCache.key(spec) else { return }
        let url = file(for: key)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try OutputFile.write(PresentationOrderCache.header + "order \(order)\n" + key, to: url)
        } catch {
            return
        }
    }
}
