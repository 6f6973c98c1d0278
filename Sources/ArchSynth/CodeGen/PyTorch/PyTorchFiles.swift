import Foundation

/// Writing an emitted PyTorch module: `NAME.safetensors` (when the module needs one) beside
/// `NAME.py`, each atomically (a temporary file, then a rename), the tensors first so a module
/// never points at a missing file.
public enum PyTorchFiles {
    /// The `.safetensors` path beside a `.py` path.
    public static func tensorsURL(for module: URL) -> URL {
        module.deletingPathExtension().appendingPathExtension("safetensors")
    }

    public static func write(source: String, tensors: SafetensorsFile, to module: URL) throws {
        if !tensors.isEmpty {
            let url = tensorsURL(for: module)
            let temporary = URL(fileURLWithPath: url.path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)")
            do {
                try Data(tensors.bytes()).write(to: temporary)
                guard rename(temporary.path, url.path) == 0 else {
                    throw BasisExportError.writeFailed(path: url.path, reason: String(cString: strerror(errno)))
                }
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw error
            }
        }
        try BasisExport.writeAtomically(source, to: module)
    }
}
