import Foundation
import GroupTheory

/// A `*.archsynth.json` file: what the build-tool plugin (and `archsynth generate from-config`)
/// generates for one target.
///
/// ```json
/// { "spec": "symmetric:5",
///   "layers":   [{ "name": "PermLayer", "in": "natural", "out": "natural" }],
///   "networks": [{ "name": "SetNet", "reps": ["natural", "4*natural", "trivial"], "nonlinearity": "auto" }] }
/// ```
///
/// Layers whose input and output are multiples of a regular action (the built-in `regular`, or
/// a transitive permutation representation on |G| points, e.g. the translations of a periodic
/// grid) are group convolutions, in layers and in networks alike, as with `generate layer`;
/// `"support": k` (a layer's or a network's) restricts them to a k × … × k stencil, like
/// `--support k`.
///
/// `spec` is a built-in family, a catalog name, or a spec file path relative to the config
/// file. Every entry becomes `NAME.swift`; names must be distinct Swift type names.
/// `"verify": true` (default false) makes `generate from-config` (and so the build-tool
/// plugin) compile every file with the verification harness and check it against the spec's
/// group actions before writing anything.
public struct GenerationConfig: Sendable, Equatable {
    public struct LayerEntry: Sendable, Equatable {
        public var name: String
        public var input: String
        public var output: String
        /// The local stencil of a group-convolution layer (`"support"`), nil for the full kernel.
        public var support: Int? = nil
    }

    public struct NetworkEntry: Sendable, Equatable {
        public var name: String
        public var representations: [String]
        public var nonlinearity: NonlinearityRequest
        /// The stencil of the network's group-convolution layers (`"support"`).
        public var support: Int? = nil
    }

    public var spec: String
    public var layers: [LayerEntry]
    public var networks: [NetworkEntry]
    /// Check every generated file against the spec's actions before writing (`"verify"`).
    public var verify: Bool

    /// The generated file names, in config order (layers, then networks).
    public var outputFileNames: [String] { layers.map { $0.name + ".swift" } + networks.map { $0.name + ".swift" } }

    /// Parses and validates a config (`origin` names the file in errors).
    public init(parsing text: String, origin: String) throws(NetworkError) {
        let root: JSONValue
        do { root = try JSONValue(parsing: text) } catch { throw .configuration("\(origin): \(error)") }
        func fail(_ v: JSONValue, _ message: String) -> NetworkError {
            .configuration("\(origin): line \(v.line), column \(v.column): \(message)")
        }
        guard case .object = root.kind else { throw fail(root, "the config must be a JSON object with \"spec\", \"layers\" and/or \"networks\"") }
        for m in root.members where !["spec", "layers", "networks", "verify"].contains(m.key) {
            throw .configuration("\(origin): line \(m.line), column \(m.column): unknown key \"\(m.key)\"; expected spec, layers, networks, verify")
        }
        // A key given twice is an error (as in spec files): which one counts would be a guess.
        func rejectDuplicateKeys(_ object: JSONValue) throws(NetworkError) {
            var seen = Set<String>()
            for m in object.members where !seen.insert(m.key).inserted {
                throw .configuration("\(origin): line \(m.line), column \(m.column): the key \"\(m.key)\" appears twice in one object; keep one")
            }
        }
        try rejectDuplicateKeys(root)
        var verify = false
        if let v = root["verify"] {
            guard case let .bool(b) = v.kind else { throw fail(v, "\"verify\" must be true or false") }
            verify = b
        }
        if let specValue = root["spec"], specValue.stringValue == nil {
            throw fail(specValue, "\"spec\" must be a string (a family such as \"symmetric:5\", a catalog name, or a spec file relative to the config)")
        }
        guard let specValue = root["spec"], let spec = specValue.stringValue, !spec.isEmpty else {
            throw fail(root, "missing \"spec\" (a family such as \"symmetric:5\", a catalog name, or a spec file relative to the config)")
        }
        var names = Set<String>()
        func support(_ entry: JSONValue, _ n: String) throws(NetworkError) -> Int? {
            guard let v = entry["support"] else { return nil }
            guard let k = v.intValue, k >= 1 else {
                throw fail(v, "\(n): \"support\" must be a positive integer (a k × … × k stencil of a group convolution)")
            }
            return k
        }
        // Unknown keys in a layer or network are errors, as at the top level and in spec
        // files: a misspelt "nonlinearty" would otherwise be ignored silently.
        func checkKeys(_ entry: JSONValue, _ what: String, allowed: [String]) throws(NetworkError) {
            guard case .object = entry.kind else { throw fail(entry, "every \(what) must be a JSON object") }
            try rejectDuplicateKeys(entry)
            for m in entry.members where !allowed.contains(m.key) {
                throw .configuration("\(origin): line \(m.line), column \(m.column): unknown key \"\(m.key)\" in a \(what); expected \(allowed.joined(separator: ", "))")
            }
        }
        func name(_ entry: JSONValue, _ what: String) throws(NetworkError) -> String {
            guard let n = entry["name"]?.stringValue else { throw fail(entry, "every \(what) needs a \"name\" (the Swift type)") }
            do { try SwiftIdentifier.validateTypeName(n) } catch { throw fail(entry, "\(error)") }
            guard names.insert(n).inserted else { throw fail(entry, "the name \(n) is used twice (each becomes \(n).swift)") }
            return n
        }
        // Each entry of the array under `key` (none when it is absent), in order: its keys
        // checked, its name validated and unique, then `read` with the entry and its name.
        func forEachEntry(
            _ key: String, _ what: String, allowed: [String], _ read: (JSONValue, String) throws(NetworkError) -> Void
        ) throws(NetworkError) {
            guard let list = root[key] else { return }
            guard let items = list.arrayValue else { throw fail(list, "\"\(key)\" must be an array") }
            for item in items {
                try checkKeys(item, what, allowed: allowed)
                try read(item, try name(item, what))
            }
        }
        var layers: [LayerEntry] = []
        try forEachEntry("layers", "layer", allowed: ["name", "in", "out", "support"]) { item, n throws(NetworkError) in
            guard let i = item["in"]?.stringValue, let o = item["out"]?.stringValue else {
                throw fail(item, "layer \(n) needs \"in\" and \"out\" representation expressions")
            }
            layers.append(LayerEntry(name: n, input: i, output: o, support: try support(item, "layer \(n)")))
        }
        var networks: [NetworkEntry] = []
        try forEachEntry("networks", "network", allowed: ["name", "reps", "nonlinearity", "support"]) { item, n throws(NetworkError) in
            guard let reps = item["reps"]?.arrayValue?.compactMap(\.stringValue), reps.count >= 2,
                  reps.count == item["reps"]?.arrayValue?.count
            else {
                throw fail(item, "network \(n) needs \"reps\": an array of at least two representation expressions")
            }
            var request = NonlinearityRequest.auto
            if let value = item["nonlinearity"] {
                // A value of another type (a number, null) is an error, never silently the default.
                guard let text = value.stringValue else {
                    throw fail(value, "network \(n): \"nonlinearity\" must be a string (auto, relu, tanh or norm), not \(value.kindDescription)")
                }
                guard let r = NonlinearityRequest(rawValue: text) else {
                    throw fail(item, "network \(n): \"nonlinearity\" must be auto, relu, tanh or norm, not \"\(text)\"")
                }
                request = r
            }
            networks.append(NetworkEntry(name: n, representations: reps, nonlinearity: request, support: try support(item, "network \(n)")))
        }
        guard !layers.isEmpty || !networks.isEmpty else { throw fail(root, "nothing to generate: add \"layers\" or \"networks\"") }
        self.spec = spec
        self.layers = layers
        self.networks = networks
        self.verify = verify
    }

    /// The spec argument to resolve: a file next to the config when one exists, else as given.
    public func resolvedSpec(configDirectory: URL) -> String {
        let candidate = configDirectory.appendingPathComponent(spec)
        var isDirectory: ObjCBool = false
        if !spec.hasPrefix("/"), FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return candidate.path
        }
        return spec
    }

    /// Every file's source, in `outputFileNames` order. Nothing is written.
    ///
    /// - Parameter command: the command line recorded in each header.
    public func generate(group: FiniteGroup, command: String, options: SolverOptions = SolverOptions()) throws -> [(fileName: String, source: String)] {
        var files: [(String, String)] = []
        let header = GeneratedFileHeader(spec: spec, command: command)
        for l in layers {
            let input = try RepresentationExpression(parsing: l.input)
            let output = try RepresentationExpression(parsing: l.output)
            let rIn = try group.representation(for: input), rOut = try group.representation(for: output)
            // Multiples of a regular action: a group convolution, built without the solver.
            let layer: LayerDescription
            if let convolution = try LayerDescription.groupConvolution(
                typeName: l.name, group: group, input: rIn, output: rOut, inputExpression: l.input, outputExpression: l.output,
                support: l.support)
            {
                layer = convolution
            } else {
                if let k = l.support {
                    throw NetworkError.configuration(
                        "layer \(l.name): support \(k) applies to group convolutions only: \"in\" and \"out\" must be multiples of the regular representation (or of a transitive permutation representation on |G| points)")
                }
                let basis = try IntertwinerSolver.solveMaterializedOrFactored(group: group, input: input, output: output, options: options)
                layer = try LayerDescription(
                    typeName: l.name, group: group, input: rIn, output: rOut, inputExpression: l.input, outputExpression: l.output,
                    basis: basis)
            }
            files.append((l.name + ".swift", try LayerEmitter(layer: layer, header: header).source()))
        }
        for n in networks {
            if let lattice = CrystallographicLattice(origin: spec) {
                // Wallpaper and space groups: a G-CNN of steerable lattice convolutions, as `generate network`.
                do {
                    let emitter = try LatticeNetworkEmitter(
                        lattice: lattice, expressions: n.representations, support: n.support ?? 3, typeName: n.name, header: header,
                        nonlinearities: [n.nonlinearity.rawValue], options: options, maxDimension: group.options.maxDimension)
                    try emitter.checkParameters(limits: GenerationLimits())
                    files.append((n.name + ".swift", emitter.source()))
                } catch let error as LatticeNetworkError {
                    throw NetworkError.configuration("network \(n.name): \(error.description)")
                } catch let error as GenerationLimitError {
                    throw NetworkError.configuration(
                        "network \(n.name): \(error.description) (from-config uses the default limits: to raise one, generate this network with `archsynth generate network` and the flag)")
                }
                continue
            }
            let net = try NetworkDescription.solving(
                typeName: n.name, group: group, expressions: n.representations, request: n.nonlinearity, options: options,
                support: n.support)
            files.append((n.name + ".swift", try NetworkEmitter(network: net, header: header).source()))
        }
        return files
    }
}
