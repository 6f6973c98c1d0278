import ArchSynth
import ArchSynthRuntime
import Foundation

/// `archsynth verify model.json [--images DIR] [--pairs N]`: checks a trained registration
/// model's law (carl: [W,U] for shifts that are multiples of its pooling factor; constricon:
/// v(B,A) = −v(A,B), with the inverse-consistency error beside it) on pairs from DIR's images or,
/// by default, on seeded random smooth images the model never saw. Exit 0 only if it passes.
/// (Called from `VerifyCommand` for arguments ending in .json.)
enum VerifyModelCommand {
    static func run(_ rest: [String]) throws {
        let args = try Arguments(rest, valueOptions: ["--images", "--pairs"], flagOptions: [])
        let path = try args.positional(0, what: "model.json")
        try args.expectPositionals(1)
        let count = try args.integer("--pairs") ?? 4
        guard count <= 1000 else { throw UsageError("--pairs is limited to 1000") }
        do {
            let (file, model) = try RegistrationModelFile.read(from: URL(fileURLWithPath: path))
            let size = model.hyper.size
            var pairs: [(moving: [Double], fixed: [Double])] = []
            let source: String
            if let dir = args.value("--images") {
                let data = try RegistrationDataset.load(directory: URL(fileURLWithPath: dir), size: size)
                var rng = RuntimeRandom(seed: 5)
                for _ in 0..<count { pairs.append(data.pair(&rng)) }
                source = "\(count) pairs from \(data.description)"
            } else {
                var rng = RuntimeRandom(seed: 5)
                for _ in 0..<count { pairs.append((smoothImage(size, &rng), smoothImage(size, &rng))) }
                source = "\(count) pairs of seeded random smooth \(size)×\(size) images"
            }
            let check = model.checkLaw(file.parameters, pairs: pairs)
            print("verify \(path) (\(file.template.rawValue), \(model.parameterCount) parameters) on \(source)")
            print("law: \(check.law)")
            print(String(format: "worst %.3g over %d cases, threshold %.0e: %@", check.worst, check.cases, check.threshold, check.passed ? "passed" : "FAILED"))
            if let ic = check.inverseConsistency {
                print(String(format: "inverse consistency mean ‖Φ_AB∘Φ_BA − id‖ %.4g px, max %.4g px (scaling and squaring, not exact)", ic.mean, ic.max))
            }
            guard check.passed else { throw CommandFailure(description: "the law check failed (see above)") }
        } catch let e as RegistrationError {
            throw CommandFailure(description: e.description)
        }
    }

    /// A random smooth periodic image in [−1, 1]: a few Gaussian bumps of random sign and width.
    static func smoothImage(_ s: Int, _ rng: inout RuntimeRandom) -> [Double] {
        var img = [Double](repeating: 0, count: s * s)
        for _ in 0..<6 {
            let (cy, cx, r, a) = (rng.uniform(0, Double(s)), rng.uniform(0, Double(s)), rng.uniform(1.5, Double(s) / 5), rng.uniform(-1, 1))
            for i in 0..<s {
                for j in 0..<s {
                    var dy = abs(Double(i) - cy), dx = abs(Double(j) - cx)
                    dy = min(dy, Double(s) - dy)
                    dx = min(dx, Double(s) - dx)
                    img[i * s + j] += a * exp(-(dy * dy + dx * dx) / (2 * r * r))
                }
            }
        }
        return img.map { max(-1, min(1, $0)) }
    }
}
