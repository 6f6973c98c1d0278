import ArchSynthRuntime
import Foundation

/// The training images of `archsynth train registration`: a folder of 2-D `.npy` images, or a
/// folder of sub-folders (one per source image), pairs then being drawn within a sub-folder
/// (Benchmarks/registration/CONVENTIONS.md). Every file is checked before training starts:
/// rank 2, shape size × size, finite values; anything else is an error naming the file.
/// Hidden files (names starting with ".") are ignored.
public struct RegistrationDataset: Sendable {
    /// Images by group (one group for a flat folder), each `size × size` row-major.
    public let groups: [[[Double]]]
    public let size: Int
    public let description: String

    public var imageCount: Int { groups.reduce(0) { $0 + $1.count } }

    public init(groups: [[[Double]]], size: Int, description: String) {
        self.groups = groups
        self.size = size
        self.description = description
    }

    /// Loads and checks `directory`; `maxImages` bounds the memory used.
    public static func load(directory: URL, size: Int, maxImages: Int = 100_000) throws(RegistrationError) -> RegistrationDataset {
        let path = directory.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .failure("--images \(path) is not a directory")
        }
        func entries(_ url: URL) throws(RegistrationError) -> [URL] {
            do {
                return try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
                    .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            } catch { throw .failure("cannot list \(url.path): \(error.localizedDescription)") }
        }
        func isFolder(_ url: URL) -> Bool {
            var d: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &d) && d.boolValue
        }
        let top = try entries(directory)
        guard !top.isEmpty else { throw .failure("--images \(path) is empty; it must hold 2-D .npy images (or sub-folders of them)") }
        let folders = top.filter(isFolder)
        var files: [[URL]] = []
        if folders.isEmpty {
            files = [top]
        } else {
            if let stray = top.first(where: { !isFolder($0) }) {
                throw .failure("\(stray.path): --images \(path) has sub-folders, so it must hold only sub-folders of .npy images (pairs are drawn within a sub-folder)")
            }
            for f in folders { files.append(try entries(f)) }
        }
        var groups: [[[Double]]] = [], count = 0
        for list in files {
            var images: [[Double]] = []
            for url in list {
                guard url.pathExtension == "npy", !isFolder(url) else {
                    throw .failure("\(url.path) is not a .npy file; --images must hold only 2-D .npy images")
                }
                count += 1
                guard count <= maxImages else { throw .failure("--images \(path) holds more than \(maxImages) images; raise --max-images") }
                images.append(try image(at: url, size: size))
            }
            if images.count >= 2 { groups.append(images) }
        }
        guard !groups.isEmpty else {
            throw .failure("--images \(path) has no folder with two or more images; a pair needs two (\(count) image\(count == 1 ? "" : "s") found)")
        }
        let n = groups.reduce(0) { $0 + $1.count }
        let what = folders.isEmpty ? "\(n) images" : "\(n) images in \(groups.count) sub-folders"
        return RegistrationDataset(groups: groups, size: size, description: "\(directory.lastPathComponent): \(what), \(size)×\(size)")
    }

    /// One image file, checked: rank 2, `size × size`, finite.
    public static func image(at url: URL, size: Int, flag: String = "--size") throws(RegistrationError) -> [Double] {
        let array: NumpyArray
        do { array = try NumpyArray.read(from: url) } catch { throw .failure(error.description) }
        guard array.shape.count == 2 else {
            throw .failure("\(url.path) has shape \(array.shape) (rank \(array.shape.count)); an image must be a 2-D array")
        }
        guard array.shape == [size, size] else {
            throw .failure("\(url.path) is \(array.shape[0])×\(array.shape[1]), not \(size)×\(size) (\(flag) \(size)); resize the images or change \(flag)")
        }
        if let k = array.values.firstIndex(where: { !$0.isFinite }) {
            throw .failure("\(url.path) has a non-finite value (\(array.values[k])) at row \(k / size), column \(k % size)")
        }
        return array.values
    }

    /// A random pair (moving, fixed) of distinct images from one group, the group chosen with
    /// probability proportional to its number of pairs.
    public func pair(_ rng: inout RuntimeRandom) -> (moving: [Double], fixed: [Double]) {
        var weights = groups.map { Double($0.count * ($0.count - 1)) }
        let total = weights.reduce(0, +)
        var r = rng.unit() * total, g = 0
        while g < groups.count - 1 && r >= weights[g] { r -= weights[g]; g += 1 }
        weights.removeAll()
        let images = groups[g]
        let i = rng.index(images.count)
        var j = rng.index(images.count - 1)
        if j >= i { j += 1 }
        return (images[i], images[j])
    }
}
