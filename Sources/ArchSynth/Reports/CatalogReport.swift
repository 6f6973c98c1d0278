import Foundation
import GroupTheory

/// What `archsynth catalog` prints: each shipped group with its validated order
/// and representations.
public struct CatalogReport: Sendable {
    public struct Entry: Sendable {
        public let file: String
        /// The validated group, or the error that stopped it.
        public let group: Result<FiniteGroup, CatalogEntryError>
    }

    public let directory: URL
    public let entries: [Entry]

    public init(resolver: GroupResolver) throws {
        guard let directory = resolver.catalogDirectory else { throw CatalogEntryError(message: "no catalog directory found; set ARCHSYNTH_CATALOGS to the catalogs folder") }
        self.directory = directory
        entries = Catalog.names(in: directory).map { name in
            do {
                return Entry(file: name + ".json", group: .success(try resolver.resolve(name)))
            } catch {
                return Entry(file: name + ".json", group: .failure(CatalogEntryError(message: "\(error)")))
            }
        }
    }

    public var json: JSONValue {
        .array(entries.map { entry in
            switch entry.group {
            case let .success(g):
                return .object([
                    ("file", .string(entry.file)), ("name", .string(g.name)), ("order", .string(g.order.description)),
                    ("description", .string(g.description)),
                    ("representations", .array(g.representations.map {
                        .object([("name", .string($0.name)), ("dimension", .int($0.representation.dimension))])
                    })),
                ])
            case let .failure(e):
                return .object([("file", .string(entry.file)), ("error", .string(e.message))])
            }
        })
    }

    public var text: String {
        entries.map { entry in
            switch entry.group {
            case let .success(g):
                let reps = g.representations.map { "\($0.name)(\($0.representation.dimension))" }.joined(separator: ", ")
                return "\(entry.file.dropLast(5).padding(toLength: 12, withPad: " ", startingAt: 0)) order \(g.order.description.padding(toLength: 22, withPad: " ", startingAt: 0)) \(reps)"
            case let .failure(e):
                return "\(entry.file): ERROR \(e.message)"
            }
        }.joined(separator: "\n")
    }

    /// True when every entry validated.
    public var allValid: Bool {
        entries.allSatisfy { if case .success = $0.group { return true } else { return false } }
    }
}

public struct CatalogEntryError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
