import Foundation
import PackagePlugin

/// Build-tool plugin: for every `*.archsynth.json` file in a target, runs
/// `archsynth generate from-config CONFIG -o WORKDIR/CONFIGNAME` and compiles the generated
/// `NAME.swift` files (one per layer or network in the config) into the target.
///
/// The config names its outputs, so the plugin reads the `name` of every entry to declare
/// them to the build system; the spec file (when `spec` is a path relative to the config) is
/// declared as an input so editing it regenerates the code.
///
/// With `"verify": true` in the config, `generate from-config` compiles every generated file
/// with the verification harness and checks it against the group actions built from the
/// spec (not those baked into the file) before writing; a failure fails the build.
@main
struct ArchSynthPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let module = target.sourceModule else { return [] }
        let tool = try context.tool(named: "archsynth")
        var commands: [Command] = []
        for file in module.sourceFiles where file.url.lastPathComponent.hasSuffix(".archsynth.json") {
            let config = file.url
            let stem = String(config.lastPathComponent.dropLast(".archsynth.json".count))
            let outputDirectory = context.pluginWorkDirectoryURL.appendingPathComponent(stem)
            let (names, spec) = try Self.entries(config)
            var inputs = [config]
            let specURL = config.deletingLastPathComponent().appendingPathComponent(spec)
            if FileManager.default.fileExists(atPath: specURL.path) { inputs.append(specURL) }
            commands.append(.buildCommand(
                displayName: "archsynth: generating \(names.joined(separator: ", ")) from \(config.lastPathComponent)",
                executable: tool.url,
                arguments: ["generate", "from-config", config.path, "-o", outputDirectory.path],
                inputFiles: inputs,
                outputFiles: names.map { outputDirectory.appendingPathComponent($0 + ".swift") }))
        }
        return commands
    }

    /// The type names (layers, then networks) and the spec string of a config.
    static func entries(_ url: URL) throws -> ([String], String) {
        let data = try Data(contentsOf: url)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PluginError("\(url.lastPathComponent): the config must be a JSON object")
        }
        var names: [String] = []
        for key in ["layers", "networks"] {
            for entry in root[key] as? [[String: Any]] ?? [] {
                if let name = entry["name"] as? String { names.append(name) }
            }
        }
        return (names, root["spec"] as? String ?? "")
    }
}

struct PluginError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
