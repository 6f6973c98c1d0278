/// A periodic grid: `height × width` points, row-major (point p = i·width + j). A 1-D grid of
/// N points is `PeriodicGrid(height: 1, width: N)`. Grid signals with C channels are flat
/// arrays with channels outermost: x[c·n + p], n = height·width.
///
/// The translation group C_H × C_W acts by T_(a,b): (T x)(i, j) = x(i + a, j + b) (indices mod
/// the grid size), i.e. x ∘ T with T(i, j) = (i + a, j + b); translation number t = a·width + b.
public struct PeriodicGrid: Sendable, Hashable {
    /// The number of rows H (the first, slower index).
    public let height: Int
    /// The number of columns W (the second, faster index).
    public let width: Int

    /// An H×W periodic grid (traps unless both are at least 1).
    public init(height: Int, width: Int) {
        precondition(height >= 1 && width >= 1, "PeriodicGrid: \(height)×\(width)")
        self.height = height
        self.width = width
    }

    /// The number of points n = H·W.
    public var count: Int { height * width }

    /// The point (i + a, j + b) mod the grid, for point p = (i, j).
    @inlinable public func shifted(_ p: Int, by a: Int, _ b: Int) -> Int {
        let i = p / width, j = p % width
        let ii = ((i + a) % height + height) % height, jj = ((j + b) % width + width) % width
        return ii * width + jj
    }

    /// x ∘ T_(a,b) for a C-channel signal: y[c, p] = x[c, p + (a, b)].
    public func translate(_ x: [Double], by a: Int, _ b: Int) -> [Double] {
        let n = count
        precondition(x.count % n == 0, "PeriodicGrid.translate: \(x.count) values on \(n) points")
        var y = x
        for c in 0..<(x.count / n) {
            for p in 0..<n { y[c * n + p] = x[c * n + shifted(p, by: a, b)] }
        }
        return y
    }

    /// Translation number t = a·width + b as (a, b).
    @inlinable public func translation(_ t: Int) -> (Int, Int) { (t / width, t % width) }

    /// Every translation as a permutation action on a C-channel signal (`LinearAction`
    /// convention y[q[i]] = x[i]: the value at point i moves to i − (a, b)).
    public func translationActions(channels: Int) -> [LinearAction] {
        (0..<count).map { t in
            let (a, b) = translation(t)
            var q = [Int](repeating: 0, count: channels * count)
            for c in 0..<channels {
                for p in 0..<count { q[c * count + shifted(p, by: a, b)] = c * count + p }
            }
            return .permutation(q)
        }
    }

    /// The law "commutes with every translation" for a node from C_in to C_out channel
    /// signals: f(x ∘ T) = f(x) ∘ T over all H·W translations.
    public func translationLaw(inputChannels: [Int], outputChannels: Int) -> Law {
        let ins = inputChannels.map { translationActions(channels: $0) }
        return Law.linear(
            name: "translations of the \(height)×\(width) periodic grid", inputs: ins,
            output: translationActions(channels: outputChannels), isComplete: true)
    }
}

/// Group convolution on a periodic grid (the regular representation of C_H × C_W):
///
///     y[o, g] = b[o] + Σ_c Σ_(d ∈ stencil) θ[o, c, d] · x[c, g − d]
///
/// i.e. y(g) = Σ_h θ(h⁻¹g) x(h) with θ supported on a local k_h × k_w stencil of offsets
/// d = (s − ⌊k_h/2⌋, t − ⌊k_w/2⌋), s < k_h, t < k_w. A stencil as large as the grid is the
/// stencil-free convolution; for the regular representation of C_H × C_W these are exactly
/// the equivariant linear maps (|G| weights per channel pair, what the solver finds for
/// `cyclic:H x cyclic:W` `regular` → `regular`).
///
/// Parameters: θ[o][c][s][t] (row-major), then b[o] when `bias`.
/// Law: commutes with every translation (`PeriodicGrid.translationLaw`).
public struct GridConvolution: DifferentiableNode {
    /// The periodic grid the signals live on.
    public let grid: PeriodicGrid
    /// C_in.
    public let inputChannels: Int
    /// C_out.
    public let outputChannels: Int
    /// k_h, the stencil's rows (at most `grid.height`).
    public let stencilHeight: Int
    /// k_w, the stencil's columns (at most `grid.width`).
    public let stencilWidth: Int
    /// Whether one bias b[o] per output channel follows the weights.
    public let bias: Bool

    /// [x]: C_in · n values, channels outermost.
    public var inputSizes: [Int] { [inputChannels * grid.count] }
    /// C_out · n values, channels outermost.
    public var outputSize: Int { outputChannels * grid.count }
    /// The number of weights θ[o][c][s][t]: C_out · C_in · k_h · k_w.
    public var weightCount: Int { outputChannels * inputChannels * stencilHeight * stencilWidth }
    /// The weights, then C_out biases when `bias`.
    public var parameterCount: Int { weightCount + (bias ? outputChannels : 0) }

    /// A k_h × k_w stencil (nil: the whole grid, the stencil-free convolution). Traps unless
    /// 1 ≤ k_h ≤ H and 1 ≤ k_w ≤ W.
    public init(
        grid: PeriodicGrid, inputChannels: Int, outputChannels: Int, stencil: (height: Int, width: Int)? = nil, bias: Bool = true
    ) {
        let s = stencil ?? (grid.height, grid.width)
        precondition(s.height >= 1 && s.width >= 1 && s.height <= grid.height && s.width <= grid.width, "GridConvolution: stencil \(s.height)×\(s.width) on a \(grid.height)×\(grid.width) grid")
        self.grid = grid
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        stencilHeight = s.height
        stencilWidth = s.width
        self.bias = bias
    }

    /// A square k×k stencil (clipped to the grid: on a 1-D grid the stencil is 1×k).
    public init(grid: PeriodicGrid, inputChannels: Int, outputChannels: Int, stencil k: Int, bias: Bool = true) {
        self.init(
            grid: grid, inputChannels: inputChannels, outputChannels: outputChannels,
            stencil: (min(k, grid.height), min(k, grid.width)), bias: bias)
    }

    /// Uniform initialization bound √(3 / fan-in), fan-in = C_in·k_h·k_w.
    public var initializationBound: Double { (3 / Double(inputChannels * stencilHeight * stencilWidth)).squareRoot() }

    /// The periodic convolution (`PeriodicConvolutionKernel`); the pullback gives θ̄, b̄ and x̄ (the
    /// transposed convolution).
    /// - Complexity: O(C_out · C_in · n · k_h · k_w) forward and backward.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "GridConvolution")
        let x = inputs[0]
        let (cin, cout, nW, hasBias) = (inputChannels, outputChannels, weightCount, bias)
        let (h, w, kh, kw) = (grid.height, grid.width, stencilHeight, stencilWidth)
        let weights = Array(parameters[0..<nW]), b = hasBias ? Array(parameters[nW...]) : nil
        let y = PeriodicConvolutionKernel.forward(
            x: x, weights: weights, bias: b, height: h, width: w, inputChannels: cin, outputChannels: cout, stencilHeight: kh, stencilWidth: kw)
        return (y, { dy in
            let g = PeriodicConvolutionKernel.pullback(
                dy: dy, x: x, weights: weights, hasBias: hasBias, height: h, width: w, inputChannels: cin, outputChannels: cout,
                stencilHeight: kh, stencilWidth: kw)
            return NodeGradient(parameters: g.weights + (g.bias ?? []), inputs: [g.input])
        })
    }

    /// The n_out × n_in matrix of the map for parameters θ (bias left out), row-major: the
    /// convolution as a linear map, for comparisons with the solver's basis.
    public func matrix(_ parameters: [Double]) -> [Double] {
        let nIn = inputSizes[0], nOut = outputSize
        var m = [Double](repeating: 0, count: nOut * nIn)
        var p = parameters
        if bias { for o in 0..<outputChannels { p[weightCount + o] = 0 } }
        for c in 0..<nIn {
            var e = [Double](repeating: 0, count: nIn)
            e[c] = 1
            let col = forward(p, [e])
            for r in 0..<nOut { m[r * nIn + c] = col[r] }
        }
        return m
    }
}

/// A node on stacks of planes over a periodic grid: one input of `planes.input` planes and an
/// output of `planes.output` planes, n = `grid.count` values each, planes outermost.
public protocol GridPlanesNode: DifferentiableNode {
    /// The periodic grid the planes live on.
    var grid: PeriodicGrid { get }
    /// How many planes of n values the input and the output hold.
    static var planes: (input: Int, output: Int) { get }
}

extension GridPlanesNode {
    /// [x]: `planes.input` · n values.
    public var inputSizes: [Int] { [Self.planes.input * grid.count] }
    /// `planes.output` · n values.
    public var outputSize: Int { Self.planes.output * grid.count }
}
