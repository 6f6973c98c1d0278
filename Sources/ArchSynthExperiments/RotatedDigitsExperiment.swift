import ArchSynth
import ArchSynthRuntime
import Foundation
import GroupTheory

/// Experiment `rotated-digits` (issue 21): scikit-learn's 8×8 digits (1,797 images, exported once to
/// experiments/data/digits.txt by experiments/data/export_digits.py), placed on a 12×12 torus with a
/// two-pixel zero border. A D₄ G-CNN (p4m lattice convolutions: lifting to 2 regular fields, two
/// regular → regular group convolutions, pointwise leaky ReLU on the regular fields, the mean and
/// the max over the grid and over D₄ as the invariant projection, a linear head) against a CNN with
/// about the same parameter count (the same three convolutions on the p1 lattice: scalar fields,
/// 3×3, leaky ReLU, global mean and max, linear head). Both are trained the same way (Adam, softmax cross-entropy) on nested subsets
/// of one training pool; errors on the upright test set and on the test set rotated by 90°, 180°,
/// 270° and reflected.
public enum RotatedDigitsExperiment {
    public static let name = "rotated-digits"

    /// One image: the label and 64 pixels in 0...16, row-major.
    struct Digit {
        let label: Int
        let pixels: [Double]
    }

    /// The digits file: `--data` is not taken; the file is found beside the package's sources.
    static func dataFile() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("experiments/data/digits.txt")
    }

    static func loadDigits() throws -> [Digit] {
        let url = dataFile()
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ExperimentError.unsupported("rotated-digits needs \(url.path) (scikit-learn's digits, exported by experiments/data/export_digits.py); it is missing or unreadable")
        }
        let alphabet = Array("0123456789abcdefg")
        var digits: [Digit] = []
        for (n, line) in text.split(separator: "\n").enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let label = Int(parts[0]), (0...9).contains(label), parts[1].count == 64 else {
                throw ExperimentError.unsupported("\(url.path) line \(n + 1) is not \"LABEL 64-base-17-digits\"; regenerate it with experiments/data/export_digits.py")
            }
            var pixels: [Double] = []
            for c in parts[1] {
                guard let v = alphabet.firstIndex(of: c) else {
                    throw ExperimentError.unsupported("\(url.path) line \(n + 1): \"\(c)\" is not a base-17 digit")
                }
                pixels.append(Double(v) / 16)
            }
            digits.append(Digit(label: label, pixels: pixels))
        }
        guard digits.count == 1797 else {
            throw ExperimentError.unsupported("\(url.path) holds \(digits.count) images, not scikit-learn's 1,797; regenerate it with experiments/data/export_digits.py")
        }
        return digits
    }

    /// Each 8×8 pixel becomes a `scale` × `scale` block; `border` zero pixels on every side.
    static let scale = 1
    static let border = 2
    static let side = 8 * scale + 2 * border

    /// The 8×8 image, each pixel a `scale` × `scale` block, inside a `side` × `side` zero image.
    static func placed(_ d: Digit) -> [Double] {
        var image = [Double](repeating: 0, count: side * side)
        for i in 0..<(8 * scale) { for j in 0..<(8 * scale) { image[(i + border) * side + j + border] = d.pixels[(i / scale) * 8 + j / scale] } }
        return image
    }

    /// The test transformations: rotations about the image centre and the left–right mirror.
    static let transforms: [(name: String, map: @Sendable (Int, Int) -> (Int, Int))] = [
        ("upright", { ($0, $1) }),
        ("rotated 90°", { (side - 1 - $1, $0) }),
        ("rotated 180°", { (side - 1 - $0, side - 1 - $1) }),
        ("rotated 270°", { ($1, side - 1 - $0) }),
        ("reflected", { ($0, side - 1 - $1) }),
    ]

    static func transformed(_ image: [Double], _ map: @Sendable (Int, Int) -> (Int, Int)) -> [Double] {
        var out = image
        for i in 0..<side { for j in 0..<side { let (a, b) = map(i, j); out[a * side + b] = image[i * side + j] } }
        return out
    }

    /// The invariant statistics taken of each output field after its ReLU, over the grid and the
    /// field's components (for regular fields the components are permuted by D₄, so both are
    /// invariant).
    enum Statistic: String, Sendable {
        case mean, max
    }

    /// Lattice convolutions with ReLU after each, invariant statistics of the last layer's
    /// fields, a linear head.
    struct Classifier {
        let convolutions: [SteerableLatticeConvolution]
        let statistics: [Statistic]
        /// The activation's slope below 0: 0 is ReLU, 0 < leak < 1 a leaky ReLU (pointwise, so
        /// equivariant on regular fields too).
        var leak = 0.0
        var parameters: [Double]
        var conv1: SteerableLatticeConvolution { convolutions[0] }
        var parameterCount: Int { parameters.count }
        /// Output fields of the last convolution.
        var fields: Int { convolutions[convolutions.count - 1].output.channels }
        /// Inputs of the linear head: one per field and statistic.
        var features: Int { fields * statistics.count }

        /// Two convolutions, the mean (the original design; kept for the tests).
        init(spec: String, hidden: String, output: String, seed: UInt64) throws {
            try self.init(spec: spec, layers: [hidden, output], statistics: [.mean], seed: seed)
        }

        /// `layers`: the field types after each convolution (the input is field(trivial)).
        init(spec: String, layers: [String], statistics: [Statistic], seed: UInt64) throws {
            precondition(!layers.isEmpty && !statistics.isEmpty, "Classifier: at least one layer and one statistic")
            let lattice = CrystallographicLattice(origin: spec)!
            let e = { (t: String) in try RepresentationExpression(parsing: t) }
            var convs: [SteerableLatticeConvolution] = []
            var previous = "field(trivial)"
            for layer in layers {
                convs.append(try LatticeConvolution(lattice: lattice, input: try e(previous), output: try e(layer), support: 3).runtimeNode())
                previous = layer
            }
            convolutions = convs
            self.statistics = statistics
            var rng = RuntimeRandom(seed: seed)
            var p: [Double] = []
            for (k, conv) in convs.enumerated() {
                let a = conv.initializationBound * (k == 0 ? 1 : 2.squareRoot())  // He-style gain after ReLU
                p += (0..<conv.weightCount).map { _ in rng.uniform(-a, a) }
                p += [Double](repeating: 0, count: conv.biasCount)
            }
            let f = convs[convs.count - 1].output.channels * statistics.count
            let a3 = (6.0 / Double(f + 10)).squareRoot()
            p += (0..<(10 * f)).map { _ in rng.uniform(-a3, a3) }
            p += [Double](repeating: 0, count: 10)
            parameters = p
        }

        /// The parameters of each convolution (weights, biases), then the head's weights (10 ×
        /// features, row-major) and biases.
        func split(_ p: [Double]) -> (convolutions: [(weights: [Double], bias: [Double])], w: [Double], b: [Double]) {
            var o = 0
            func take(_ n: Int) -> [Double] { defer { o += n }; return Array(p[o..<(o + n)]) }
            let c = convolutions.map { (weights: take($0.weightCount), bias: take($0.biasCount)) }
            return (c, take(10 * features), take(10))
        }

        /// Logits for a batch (Float convolutions), and the gradient of the mean cross-entropy
        /// when `labels` are given.
        func evaluate(_ x: [Float], count: Int, labels: [Int]?, threads: Int) -> (logits: [Double], loss: Double, gradient: [Double]?) {
            evaluate(scalar: x, count: count, labels: labels, threads: threads)
        }

        /// The same in the scalar of `x` (Double for gradient checks).
        func evaluate<T: ClassifierScalar>(scalar x: [T], count: Int, labels: [Int]?, threads: Int) -> (logits: [Double], loss: Double, gradient: [Double]?) {
            let s = split(parameters)
            let kernels = zip(convolutions, s.convolutions).map { T.kernel($0, weights: $1.weights, bias: $1.bias) }
            // Pre-activations a_k and the ReLU outputs r_k (r_0 = x).
            var inputs: [[T]] = [x], pre: [[T]] = []
            let slope = T(leak)
            for (k, conv) in convolutions.enumerated() {
                let a = T.forward(conv, inputs[k], count, kernels[k], threads)
                pre.append(a)
                inputs.append(a.map { $0 > 0 ? $0 : slope * $0 })
            }
            let last = convolutions[convolutions.count - 1], top = inputs[inputs.count - 1]
            let per = last.output.points * last.output.fieldDimension, c = fields, d = last.output.dimension, ns = statistics.count
            let f = features
            // Feature (field ch, statistic k) at ch * ns + k; for max, the index it came from.
            var pooled = [Double](repeating: 0, count: count * f)
            var argmax = [Int](repeating: 0, count: count * f)
            for b in 0..<count { for ch in 0..<c {
                let base = b * d + ch * per
                for (k, stat) in statistics.enumerated() {
                    switch stat {
                    case .mean:
                        var acc = 0.0
                        for q in 0..<per { acc += Double(top[base + q]) }
                        pooled[b * f + ch * ns + k] = acc / Double(per)
                    case .max:
                        var best = 0
                        for q in 1..<per where top[base + q] > top[base + best] { best = q }
                        pooled[b * f + ch * ns + k] = Double(top[base + best])
                        argmax[b * f + ch * ns + k] = base + best
                    }
                }
            } }
            var logits = [Double](repeating: 0, count: count * 10)
            for b in 0..<count { for k in 0..<10 {
                var acc = s.b[k]
                for j in 0..<f { acc += s.w[k * f + j] * pooled[b * f + j] }
                logits[b * 10 + k] = acc
            } }
            guard let labels else { return (logits, 0, nil) }
            precondition(labels.count == count, "Classifier.evaluate: one label per example")
            var loss = 0.0
            var dlogits = [Double](repeating: 0, count: count * 10)
            for b in 0..<count {
                let row = logits[(b * 10)..<(b * 10 + 10)], m = row.max()!
                let z = row.reduce(0) { $0 + exp($1 - m) }
                loss += -(logits[b * 10 + labels[b]] - m - log(z)) / Double(count)
                for k in 0..<10 { dlogits[b * 10 + k] = (exp(logits[b * 10 + k] - m) / z - (k == labels[b] ? 1 : 0)) / Double(count) }
            }
            var dw = [Double](repeating: 0, count: 10 * f), db = [Double](repeating: 0, count: 10)
            var dpooled = [Double](repeating: 0, count: count * f)
            for b in 0..<count { for k in 0..<10 {
                let g = dlogits[b * 10 + k]
                db[k] += g
                for j in 0..<f { dw[k * f + j] += g * pooled[b * f + j]; dpooled[b * f + j] += g * s.w[k * f + j] }
            } }
            // Gradient with respect to the last ReLU's output, then back through every layer.
            var dtop = [Double](repeating: 0, count: top.count)
            for b in 0..<count { for ch in 0..<c {
                let base = b * d + ch * per
                for (k, stat) in statistics.enumerated() {
                    let g = dpooled[b * f + ch * ns + k]
                    switch stat {
                    case .mean: for q in 0..<per { dtop[base + q] += g / Double(per) }
                    case .max: dtop[argmax[b * f + ch * ns + k]] += g
                    }
                }
            } }
            var gradient = dw + db
            var dr = dtop.map { T($0) }
            for k in stride(from: convolutions.count - 1, through: 0, by: -1) {
                let da = zip(dr, pre[k]).map { $1 > 0 ? $0 : slope * $0 }
                let g = T.backward(convolutions[k], inputs[k], da, count, kernels[k], threads)
                gradient = g.weights.map { Double($0) } + g.bias.map { Double($0) } + gradient
                dr = g.input
            }
            return (logits, loss, gradient)
        }
    }

    struct Configuration {
        var sizes: [Int]
        var steps: Int
        var batch = 16
        var learningRate = 1e-2
        var testCount: Int
        var threads = 2
    }

    /// The two models: three 3×3 convolutions with leaky ReLU (slope 0.1), the mean and the max of
    /// each last-layer field, a linear head. G-CNN: 2, 3 and 4 regular fields of D₄ (1,413
    /// parameters; widest last, so the head sees 8 invariant features); CNN: 8 scalar channels per
    /// layer (1,418 parameters).
    static let models: [(name: String, build: @Sendable (UInt64) throws -> Classifier)] = [
        ("D₄ G-CNN", { seed in
            var net = try Classifier(
                spec: "wallpaper:p4m:\(side)x\(side)", layers: ["2*field(regular)", "3*field(regular)", "4*field(regular)"], statistics: [.mean, .max], seed: seed)
            net.leak = 0.1
            return net
        }),
        ("CNN", { seed in
            var net = try Classifier(
                spec: "wallpaper:p1:\(side)x\(side)", layers: [String](repeating: "8*field(trivial)", count: 3), statistics: [.mean, .max], seed: seed)
            net.leak = 0.1
            return net
        }),
    ]

    /// Adam on the mean cross-entropy over minibatches drawn with replacement from `train`,
    /// learning rate decaying linearly to 10%.
    static func train(_ net: inout Classifier, on train: [Digit], configuration c: Configuration, seed: UInt64) {
        var rng = RuntimeRandom(seed: seed)
        var mom = [Double](repeating: 0, count: net.parameters.count), vel = mom
        for step in 0..<c.steps {
            let picks = (0..<c.batch).map { _ in train[Int(rng.next() % UInt64(train.count))] }
            let x = picks.flatMap { placed($0).map(Float.init) }
            let g = net.evaluate(x, count: picks.count, labels: picks.map(\.label), threads: c.threads).gradient!
            let lr = c.learningRate * (1 - 0.9 * Double(step) / Double(c.steps))
            let t = Double(step + 1)
            for i in g.indices {
                mom[i] = 0.9 * mom[i] + 0.1 * g[i]
                vel[i] = 0.999 * vel[i] + 0.001 * g[i] * g[i]
                net.parameters[i] -= lr * (mom[i] / (1 - pow(0.9, t))) / ((vel[i] / (1 - pow(0.999, t))).squareRoot() + 1e-8)
            }
        }
    }

    public static func run(quick: Bool, seeds: [UInt64]) throws -> ExperimentReport {
        let c = quick
            ? Configuration(sizes: [20, 80], steps: 20, testCount: 60)
            : Configuration(sizes: [25, 50, 100, 200, 400, 800], steps: 1200, testCount: 797)
        let digits = try loadDigits()
        // One fixed shuffle: the last `testCount` images are the test set, the first 1,000 the pool.
        var order = Array(digits.indices)
        var shuffle = RuntimeRandom(seed: 0xD161_7500)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(shuffle.next() % UInt64(i + 1))) }
        let pool = order.prefix(1000).map { digits[$0] }
        let test = order.suffix(c.testCount).map { digits[$0] }
        let testImages = transforms.map { t in test.map { transformed(placed($0), t.map) } }

        // errors[model][transform][size] over seeds (error rate in %)
        var errors = [[[[Double]]]](repeating: [[[Double]]](repeating: [[Double]](repeating: [], count: c.sizes.count), count: transforms.count), count: models.count)
        var counts = [Int](repeating: 0, count: models.count)
        // (true label, predicted label) on the upright test set at the largest size, over seeds.
        var confusions = [[(Int, Int)]](repeating: [], count: models.count)
        for seed in seeds {
            for (m, model) in models.enumerated() {
                for (k, size) in c.sizes.enumerated() {
                    var net = try model.build(seed &* 31 &+ UInt64(m))
                    counts[m] = net.parameterCount
                    train(&net, on: Array(pool.prefix(size)), configuration: c, seed: seed &+ UInt64(size))
                    for (ti, images) in testImages.enumerated() {
                        var wrong = 0
                        var start = 0
                        while start < images.count {
                            let end = Swift.min(start + 64, images.count)
                            let logits = net.evaluate(images[start..<end].flatMap { $0.map(Float.init) }, count: end - start, labels: nil, threads: c.threads).logits
                            for b in 0..<(end - start) {
                                let row = Array(logits[(b * 10)..<(b * 10 + 10)])
                                let predicted = row.firstIndex(of: row.max()!)!
                                if predicted != test[start + b].label { wrong += 1 }
                                if ti == 0, k == c.sizes.count - 1 { confusions[m].append((test[start + b].label, predicted)) }
                            }
                            start = end
                        }
                        errors[m][ti][k].append(100 * Double(wrong) / Double(images.count))
                    }
                }
            }
        }
        let summaries = errors.map { $0.map { $0.map(Summary.init) } }
        var rows: [[String]] = []
        for (k, size) in c.sizes.enumerated() {
            var row = [String(size)]
            for m in models.indices {
                row.append(summaries[m][0][k].text(1))
                let worstTransformed = (1..<transforms.count).map { summaries[m][$0][k].mean }.max()!
                row.append(NumberFormat.fixed(worstTransformed, digits: 1))
            }
            rows.append(row)
        }
        var detail: [[String]] = []
        for (m, model) in models.enumerated() {
            for (ti, t) in transforms.enumerated() {
                detail.append([model.name, t.name] + c.sizes.indices.map { summaries[m][ti][$0].text(1) })
            }
        }
        let multiples = c.sizes.indices.map { k in
            DataEfficiencyExperiment.dataMultiple(target: summaries[0][0][k].mean, at: c.sizes[k], sizes: c.sizes, errors: summaries[1][0].map(\.mean))
        }
        for k in rows.indices { rows[k].append(multiples[k].text) }

        var plot = SVGPlot(
            title: "rotated digits: test error vs training examples", xLabel: "training examples", yLabel: "test error (%)",
            xScale: .log(base: 2), yScale: .linear)
        for (m, model) in models.enumerated() {
            plot.series.append(.init(name: "\(model.name) upright (\(counts[m]) params)", points: c.sizes.indices.map { summaries[m][0][$0].point(x: Double(c.sizes[$0])) }, dashed: m == 1))
            plot.series.append(.init(name: "\(model.name) rotated 90°", points: c.sizes.indices.map { summaries[m][1][$0].point(x: Double(c.sizes[$0])) }, dashed: m == 1))
        }
        let gcnnGap = c.sizes.indices.map { k in (1..<transforms.count).map { abs(summaries[0][$0][k].mean - summaries[0][0][k].mean) }.max()! }.max()!
        let cnnDrop = c.sizes.indices.map { k in (1..<transforms.count).map { summaries[1][$0][k].mean - summaries[1][0][k].mean }.max()! }
        let setup = """
            Data: scikit-learn's 8×8 digits (1,797 images, experiments/data/digits.txt), pixels scaled to [0, 1], on a \(side)×\(side) \
            periodic grid with a \(border)-pixel zero border; one fixed shuffle, test set the last \(c.testCount) images, training sets nested prefixes \
            of the first 1,000. Transformed test sets: rotated by 90°, 180°, 270° about the image centre and mirrored left–right \
            (exact pixel permutations; no 45° rotation: the square lattice has none). \
            D₄ G-CNN (\(counts[0]) parameters): on wallpaper:p4m:\(side)x\(side), field(trivial) → 2*field(regular) → 3*field(regular) → \
            4*field(regular), 3×3 stencils, leaky ReLU (slope 0.1) on the regular fields, the mean and the max of each field over the grid \
            and over D₄ (invariant), a linear head. \
            CNN (\(counts[1]) parameters): the same on wallpaper:p1 (plain 3×3 convolutions) with 8 scalar channels per layer. \
            Both: Float, Adam, \(c.steps) steps of \(c.batch) examples, learning rate \(c.learningRate) decaying linearly to 10%, \
            softmax cross-entropy. Cells: test error in % (mean [min, max] over seeds); "worst transformed" is the largest mean error \
            over the four transformed test sets. Data multiple: the training-set size at which the CNN's upright error (interpolated \
            log-log) reaches the G-CNN's, over the G-CNN's size.
            """
        var reading = quick ? "Quick run (few sizes and steps): the numbers check the pipeline, not the claim. " : ""
        reading += "The G-CNN's errors on the rotated and reflected test sets differ from its upright error by at most \(NumberFormat.fixed(gcnnGap, digits: 2)) percentage points at any size "
        reading += "(it is invariant to D₄ by construction; a difference can only come from Float rounding at near-ties). "
        reading += "The CNN's worst transformed error is above its upright error by \(cnnDrop.map { NumberFormat.fixed($0, digits: 1) }.joined(separator: ", ")) points at \(c.sizes.map(String.init).joined(separator: ", ")) examples. "
        reading += "Data multiples (upright): \(multiples.map(\.text).joined(separator: ", "))."
        var report = ExperimentReport(
            name: name, title: "rotated digits: a D₄ G-CNN vs a CNN of the same size", setup: setup,
            columns: ["training examples", "G-CNN upright", "G-CNN worst transformed", "CNN upright", "CNN worst transformed", "data multiple (CNN)"],
            rows: rows, plot: plot, reading: reading, seeds: seeds, quick: quick)
        report.extraTables.append((title: "every test set", columns: ["model", "test set"] + c.sizes.map { "\($0) examples" }, rows: detail))
        report.extraTables.append((
            title: "upright errors at \(c.sizes.last!) examples, by (true → predicted) pair over all seeds: the five most frequent",
            columns: ["model", "errors", "pairs (count)", "share of errors that are 6 ↔ 9"],
            rows: models.indices.map { m in
                let errors = confusions[m].filter { $0.0 != $0.1 }
                let pairs = Dictionary(grouping: errors, by: { "\($0.0) → \($0.1)" }).mapValues(\.count).sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                let sixNine = errors.filter { Set([$0.0, $0.1]) == [6, 9] }.count
                return [models[m].name, String(errors.count), pairs.prefix(5).map { "\($0.key) (\($0.value))" }.joined(separator: ", "),
                        NumberFormat.fixed(100 * Double(sixNine) / Double(Swift.max(errors.count, 1)), digits: 1) + "%"]
            }))
        let neighbours = nearestNeighbourErrors(pool: pool, test: test, sizes: c.sizes)
        report.extraTables.append((
            title: "how much the invariance itself costs: 1-nearest-neighbour upright test error (%), plain and D₄-invariant (distance = minimum over the 8 transforms of the training image), no learning",
            columns: ["classifier"] + c.sizes.map { "\($0) examples" },
            rows: [["1-NN, plain"] + neighbours.plain.map { NumberFormat.fixed($0, digits: 1) },
                   ["1-NN, D₄-invariant"] + neighbours.invariant.map { NumberFormat.fixed($0, digits: 1) }]))
        return report
    }

    /// The 8 images of `image` under D₄ acting on the grid about its centre: the four rotations of
    /// the image and of its mirror.
    static func dihedralOrbit(_ image: [Double]) -> [[Double]] {
        var orbit: [[Double]] = []
        for start in [image, transformed(image, transforms[4].map)] {
            var current = start
            for _ in 0..<4 {
                orbit.append(current)
                current = transformed(current, transforms[1].map)
            }
        }
        return orbit
    }

    /// Test error (%) of the 1-nearest-neighbour classifier on the first n pool images, for each n in
    /// `sizes`: with the Euclidean distance, and with the D₄-invariant distance
    /// min over g ∈ D₄ of ‖x − g·y‖. The gap between the two is what ignoring orientation costs on this
    /// data, with no learning involved.
    static func nearestNeighbourErrors(pool: [Digit], test: [Digit], sizes: [Int]) -> (plain: [Double], invariant: [Double]) {
        let orbits = pool.prefix(sizes.max() ?? 0).map { dihedralOrbit(placed($0)) }
        let testImages = test.map { placed($0) }
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        // d[t][p] = (plain, invariant) distance from test image t to pool image p.
        let d = testImages.map { x in orbits.map { orbit in (distance(x, orbit[0]), orbit.map { distance(x, $0) }.min()!) } }
        func error(_ n: Int, _ pick: ((Double, Double)) -> Double) -> Double {
            var wrong = 0
            for (t, row) in d.enumerated() {
                let nearest = (0..<n).min { pick(row[$0]) < pick(row[$1]) }!
                if pool[nearest].label != test[t].label { wrong += 1 }
            }
            return 100 * Double(wrong) / Double(test.count)
        }
        return (sizes.map { error($0) { $0.0 } }, sizes.map { error($0) { $0.1 } })
    }
}

/// The scalar of a classifier evaluation: Float for training, Double for gradient checks.
protocol ClassifierScalar: BinaryFloatingPoint, Sendable {
    static func kernel(_ conv: SteerableLatticeConvolution, weights: [Double], bias: [Double]) -> SteerableLatticeConvolution.Kernel<Self>
    static func forward(_ conv: SteerableLatticeConvolution, _ x: [Self], _ count: Int, _ kernel: SteerableLatticeConvolution.Kernel<Self>, _ threads: Int) -> [Self]
    static func backward(
        _ conv: SteerableLatticeConvolution, _ x: [Self], _ dy: [Self], _ count: Int, _ kernel: SteerableLatticeConvolution.Kernel<Self>, _ threads: Int
    ) -> (weights: [Self], bias: [Self], input: [Self])
}

extension Float: ClassifierScalar {
    static func kernel(_ conv: SteerableLatticeConvolution, weights: [Double], bias: [Double]) -> SteerableLatticeConvolution.Kernel<Float> {
        conv.kernel(weights: weights.map(Float.init), bias: bias.map(Float.init))
    }
    static func forward(_ conv: SteerableLatticeConvolution, _ x: [Float], _ count: Int, _ kernel: SteerableLatticeConvolution.Kernel<Float>, _ threads: Int) -> [Float] {
        conv.forward(batch: x, count: count, kernel: kernel, threads: threads)
    }
    static func backward(
        _ conv: SteerableLatticeConvolution, _ x: [Float], _ dy: [Float], _ count: Int, _ kernel: SteerableLatticeConvolution.Kernel<Float>, _ threads: Int
    ) -> (weights: [Float], bias: [Float], input: [Float]) {
        conv.backward(batch: x, outputGradient: dy, count: count, kernel: kernel, threads: threads)
    }
}

extension Double: ClassifierScalar {
    static func kernel(_ conv: SteerableLatticeConvolution, weights: [Double], bias: [Double]) -> SteerableLatticeConvolution.Kernel<Double> {
        conv.kernel(weights: weights, bias: bias)
    }
    static func forward(_ conv: SteerableLatticeConvolution, _ x: [Double], _ count: Int, _ kernel: SteerableLatticeConvolution.Kernel<Double>, _ threads: Int) -> [Double] {
        conv.forward(batch: x, count: count, kernel: kernel, threads: threads)
    }
    static func backward(
        _ conv: SteerableLatticeConvolution, _ x: [Double], _ dy: [Double], _ count: Int, _ kernel: SteerableLatticeConvolution.Kernel<Double>, _ threads: Int
    ) -> (weights: [Double], bias: [Double], input: [Double]) {
        conv.backward(batch: x, outputGradient: dy, count: count, kernel: kernel, threads: threads)
    }
}
