import ArchSynthRuntime
import Foundation

/// model.json: a trained registration template, everything needed to rebuild it and reload its
/// weights bit for bit. Parameters are JSON numbers printed by Swift's shortest round-trip
/// formatting (`Double.description`), so parsing them gives back the same bits (tested).
///
/// ```json
/// {"format": "archsynth-registration-model", "version": 1, "template": "carl",
///  "hyperparameters": {"size": 64, …}, "training": {"images": "train: 800 images, 64×64", …},
///  "parameterCount": 9476, "parameters": [0.0123, …]}
/// ```
public struct RegistrationModelFile: Codable, Sendable, Equatable {
    public struct Training: Codable, Sendable, Equatable {
        public var images: String
        public var options: RegistrationTrainingOptions
        public var pairsSeen: Int
        public var finalLoss: Double?
        public var seconds: Double
        public init(images: String, options: RegistrationTrainingOptions, pairsSeen: Int, finalLoss: Double?, seconds: Double) {
            self.images = images
            self.options = options
            self.pairsSeen = pairsSeen
            self.finalLoss = finalLoss
            self.seconds = seconds
        }
    }

    public static let formatName = "archsynth-registration-model"
    public var format = formatName
    public var version = 1
    public var template: RegistrationModel.Kind
    public var hyperparameters: RegistrationModel.Hyperparameters
    public var training: Training
    public var parameterCount: Int
    public var parameters: [Double]

    public init(template: RegistrationModel.Kind, hyperparameters: RegistrationModel.Hyperparameters, training: Training, parameters: [Double]) {
        self.template = template
        self.hyperparameters = hyperparameters
        self.training = training
        parameterCount = parameters.count
        self.parameters = parameters
    }

    /// The JSON text (keys sorted, so equal models give equal files).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var copy = self
        // JSON has no NaN: an untrained model records no loss.
        if let l = copy.training.finalLoss, !l.isFinite { copy.training.finalLoss = nil }
        return try encoder.encode(copy)
    }

    /// Writes the file atomically (`OutputFile`: a temporary file beside it, then a rename).
    public func write(to url: URL) throws {
        try OutputFile.write(jsonData(), to: url)
    }

    /// Reads and checks a model file: format, template, hyper-parameters within limits,
    /// parameter count matching the architecture, finite parameters.
    public static func read(from url: URL) throws(RegistrationError) -> (file: RegistrationModelFile, model: RegistrationModel) {
        let data: Data
        do { data = try InputFile.contents(of: url) } catch { throw .failure("--model \(url.path) \(error)") }
        let file: RegistrationModelFile
        do { file = try JSONDecoder().decode(RegistrationModelFile.self, from: data) } catch {
            throw .failure("--model \(url.path) is not an archsynth registration model (\(error)); train one with `archsynth train registration`")
        }
        guard file.format == formatName, file.version == 1 else {
            throw .failure("--model \(url.path) has format \(file.format) version \(file.version), not \(formatName) version 1")
        }
        let model: RegistrationModel
        do { model = try RegistrationModel(kind: file.template, hyper: file.hyperparameters) } catch let e as RegistrationError {
            throw .failure("--model \(url.path): \(e.description)")
        } catch { throw .failure("--model \(url.path): \(error)") }
        guard file.parameters.count == model.parameterCount, file.parameterCount == model.parameterCount else {
            throw .failure("--model \(url.path) holds \(file.parameters.count) parameters; its \(file.template.rawValue) architecture needs \(model.parameterCount)")
        }
        if let k = file.parameters.firstIndex(where: { !$0.isFinite }) {
            throw .failure("--model \(url.path): parameter \(k) is not finite")
        }
        return (file, model)
    }
}
