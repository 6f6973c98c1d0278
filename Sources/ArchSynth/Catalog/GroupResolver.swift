import Foundation
import GroupTheory

/// Turns a `SPEC` argument into a validated group (DESIGN.md "Command line"):
/// a path to a spec file, a catalog name (`D4`, `Q8`, `rubik3`), a built-in
/// family (`symmetric:5`), or a direct product `G x H` of any of these.
///
/// ```swift
/// let group = try GroupResolver().resolve("dihedral:4 x cyclic:2")
/// group.order   // 16
/// ```
public struct GroupResolver: Sendable {
    public var options: GroupOptions
    /// The catalog directory, if one was found.
    public var catalogDirectory: URL?
    /// Orders of large presentations from earlier runs (`PresentationOrderCache`); `nil`
    /// enumerates every time. Default: none (the command-line tool sets
    /// `PresentationOrderCache.default`).
    public var orderCache: PresentationOrderCache?
    /// Called before long work (a coset enumeration expected to be large) with a one-line
    /// message; the command-line tool prints it on stderr when stderr is a terminal.
    public var progress: (@Sendable (String) -> Void)?

    public init(options: GroupOptions = GroupOptions(), catalogDirectory: URL? = Catalog.defaultDirectory()) {
        self.options = options
        self.catalogDirectory = catalogDirectory
    }

    public func resolve(_ text: String) throws -> FiniteGroup {
        let factors = splitProduct(text)
        if factors.count > 1, factors.contains(where: \.isEmpty) {
            throw ResolveError.emptyFactor(text)
        }
        if factors.count > 1 {
            var group = try resolveSingle(factors[0], useCache: false)
            for factor in factors.dropFirst() {
                group = try FiniteGroup.directProduct(group, try resolveSingle(factor, useCache: false), options: options)
            }
            return group
        }
        return try resolveSingle(text)
    }

    /// The spec a single (non-product) argument names.
    public func spec(for text: String) throws -> GroupSpec {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let builtin = try GroupSpec.builtin(trimmed) { return builtin }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if trimmed.hasSuffix(".json") || trimmed.contains("/") {
            guard fm.fileExists(atPath: trimmed, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw ResolveError.fileNotFound(trimmed)
            }
            return try Catalog.loadSpec(at: URL(fileURLWithPath: trimmed), origin: (trimmed as NSString).lastPathComponent)
        }
        if let directory = catalogDirectory, let url = Catalog.entry(named: trimmed, in: directory) {
            return try Catalog.loadSpec(at: url, origin: url.lastPathComponent)
        }
        if fm.fileExists(atPath: trimmed, isDirectory: &isDirectory), !isDirectory.boolValue {
            return try Catalog.loadSpec(at: URL(fileURLWithPath: trimmed), origin: trimmed)
        }
        throw ResolveError.unknown(trimmed, catalog: catalogDirectory.map { Catalog.names(in: $0) } ?? [])
    }

    /// One group; with an `orderCache`, a presentation whose order is known from an earlier run
    /// (above `maxElements`, and at most `options.enumeration.maxCosets`, so that the answer is
    /// the one a run without the cache gives) is not enumerated again, and a newly enumerated one
    /// is recorded.
    /// Factors of a direct product are always enumerated (the product needs their coset tables).
    func resolveSingle(_ text: String, useCache: Bool = true) throws -> FiniteGroup {
        let spec = try spec(for: text)
        var options = self.options
        let cache = useCache && spec.relators != nil ? orderCache : nil
        // A cached order answers only when this run could have enumerated it itself (order ≤
        // --max-cosets): the limit the user passed decides, never what earlier runs cached.
        if let cache, let order = cache.order(for: spec), order <= BigUInt(options.enumeration.maxCosets) {
            options.cachedPresentationOrder = order
        } else if spec.relators != nil, let progress,
                  spec.documentedOrder.flatMap({ BigUInt(decimal: $0) }).map({ $0 > BigUInt(100_000) }) ?? true {
            progress("enumerating the cosets of \(spec.name) (documented order \(spec.documentedOrder ?? "unknown"))…")
        }
        let group = try FiniteGroup(spec: spec, options: options)
        if let cache, options.cachedPresentationOrder == nil, group.orderSource == .cosetEnumeration,
           group.order > BigUInt(options.maxElements) {
            cache.store(group.order, for: spec)
        }
        return group
    }

    /// Splits `G x H x K` on a standalone `x` or `×`.
    func splitProduct(_ text: String) -> [String] {
        let tokens = text.replacingOccurrences(of: "×", with: " x ").split(separator: " ", omittingEmptySubsequences: true)
        var factors: [String] = []
        var current: [Substring] = []
        for token in tokens {
            if token == "x" {
                factors.append(current.joined(separator: " "))
                current = []
            } else {
                current.append(token)
            }
        }
        factors.append(current.joined(separator: " "))
        return factors
    }
}

/// A `SPEC` argument that names nothing.
public enum ResolveError: Error, CustomStringConvertible {
    case fileNotFound(String)
    case unreadable(String, reason: String)
    case unknown(String, catalog: [String])
    /// A product `G x H` with a factor missing (`cyclic:2 x`, `G x x H`).
    case emptyFactor(String)

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "no spec file at \(path)"
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .emptyFactor(text):
            return "the product \"\(text)\" has an empty factor: write G x H with a group on each side of every x, such as cyclic:2 x dihedral:4"
        case let .unknown(text, catalog):
            let known = catalog.isEmpty ? "" : "; catalog groups: \(catalog.joined(separator: ", "))"
            return "unknown group \"\(text)\": give a spec file path, a catalog name or a family cyclic:N, dihedral:N, symmetric:N, alternating:N, hyperoctahedral:N, wallpaper:p4m:HxW, space:Oh:DxHxW, or G x H\(known)"
        }
    }
}

/// The shipped catalog of group specs (`catalogs/*.json`, one group per file).
public enum Catalog {
    /// Where the catalog is: `$ARCHSYNTH_CATALOGS`, else a `catalogs` folder beside
    /// (or above) the executable, else the one in this source checkout.
    public static func defaultDirectory() -> URL? {
        PackageFolder.locate(
            environment: "ARCHSYNTH_CATALOGS", besideExecutable: "catalogs",
            checkoutPath: PackageFolder.checkoutSources.deletingLastPathComponent().appendingPathComponent("catalogs"))
    }

    /// Catalog names (file names without `.json`), sorted.
    public static func names(in directory: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The file of a catalog entry, matching the file name case-insensitively.
    public static func entry(named name: String, in directory: URL) -> URL? {
        let match = names(in: directory).first { $0.lowercased() == name.lowercased() }
        return match.map { directory.appendingPathComponent($0 + ".json") }
    }

    /// Reads a spec file: a regular file (or a symlink to one), UTF-8 with at most one
    /// byte-order mark.
    public static func loadSpec(at url: URL, origin: String) throws -> GroupSpec {
        let data: Data
        do { data = try InputFile.contents(of: url) } catch {
            switch error {
            case .missing: throw ResolveError.fileNotFound(url.path)
            case let .unreadable(reason): throw ResolveError.unreadable(url.path, reason: reason)
            case .notRegular, .tooLarge: throw ResolveError.unreadable(url.path, reason: "it \(error); give the path of a JSON spec file")
            }
        }
        let bytes = [UInt8](data.prefix(6))
        if bytes == [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] {
            throw ResolveError.unreadable(url.path, reason: "it starts with two UTF-8 byte-order marks; save it as UTF-8 with at most one")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ResolveError.unreadable(url.path, reason: "not UTF-8 text (invalid byte sequence); save it as UTF-8")
        }
        return try GroupSpec(json: text, origin: origin)
    }
}
