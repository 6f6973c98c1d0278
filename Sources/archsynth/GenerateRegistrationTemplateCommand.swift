import ArchSynth
import Foundation

/// `archsynth generate template registration --from-model model.json --name TYPE -o FILE`: a
/// trained registration model as one Swift file that imports ArchSynthRuntime, its weights baked
/// in (`TYPE()` loads them bit for bit); check it with `archsynth verify FILE`.
enum GenerateRegistrationTemplateCommand {
    static func run(_ rest: [String], command: [String]) throws {
        let args = try Arguments(rest, valueOptions: ["--from-model", "--name", "-o"], flagOptions: [])
        try args.expectPositionals(0)
        let modelPath = try args.required("--from-model", what: "model.json (from `archsynth train registration`)")
        let typeName = try args.required("--name", what: "TYPE (the Swift type to declare)")
        do { try SwiftIdentifier.validateTypeName(typeName) } catch { throw UsageError("\(error)") }
        let destination = try args.required("-o", what: "FILE (the Swift file to write)")
        let url = try CommonOptions.checkedFile(destination, example: "\(typeName).swift")
        let file: RegistrationModelFile
        do { file = try RegistrationModelFile.read(from: URL(fileURLWithPath: modelPath)).file } catch {
            throw CommandFailure(description: error.description)
        }
        let source = try RegistrationTemplateEmitter.source(file: file, typeName: typeName, command: GeneratedFileHeader.commandLine(command))
        try OutputSet.write(source, to: url)
        print("wrote \(destination): \(typeName), registration template \(file.template.rawValue), \(file.hyperparameters.size)×\(file.hyperparameters.size), \(file.parameters.count) trained parameters")
    }
}
