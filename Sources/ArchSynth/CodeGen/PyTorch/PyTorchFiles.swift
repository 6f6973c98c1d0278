import Foundation

/// Writing an emitted PyTorch module: `NAME.safetensors` (when the module needs one) beside
/// `NAME.py`, all or nothing (`OutputFile`: temporary files, then renames), the tensors first so a module
/// never points at a missing file.
public enum PyTorchFiles {
    /// The `.safetensors` path beside a `.py` path.
    public static func tensorsURL(for module: URL) -> URL {
        module.deletingPathExtension().appendingPathExtension("safetensors")
    }

    /// Writes both files all or nothing (`OutputFile`), the tensors renamed into place first.
    public static func write(source: String, tensors: SafetensorsFile, to module: URL) throws {
        let files: [(url: URL, data: Data)] = (tensors.isEmpty ? [] : [(tensorsURL(for: module), Data(tensors.bytes()))]) + [(module, Data(source.utf8))]
        try OutputFile.write(files)
    }
}
