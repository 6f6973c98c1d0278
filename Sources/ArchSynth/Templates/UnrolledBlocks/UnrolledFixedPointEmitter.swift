import ArchSynthRuntime

/// Prints the translation fixed-point block (Lucas–Kanade steps on N-point periodic signals) as
/// one Swift file: a `LawfulModel` with inputs [A, B], output [t_K], whose stated law is the
/// diagonal [U,U] one (every step obeys it; threshold 1e-10 grid units). The larger [W,U] law
/// holds only at a unique fixed point, so it is reported against K by
/// `UnrolledBlockReport.errorsAgainstK`, not stated as a law.
public struct UnrolledFixedPointEmitter {
    public let typeName: String
    public let grid: Int
    /// Rows of a 2-D grid (nil: 1-D grid of `grid` points; else `height` × `grid`).
    public let height: Int?
    public let steps: Int
    public let header: GeneratedFileHeader

    public init(typeName: String, grid: Int, height: Int? = nil, steps: Int, header: GeneratedFileHeader) {
        self.typeName = typeName
        self.grid = grid
        self.height = height
        self.steps = steps
        self.header = header
    }

    public func source() -> String {
        if let h = height { return source2D(height: h) }
        var p = CodePrinter()
        p.print("""
            \(GeneratedFileHeader.opening(toolVersion: header.toolVersion, describing: "an unrolled fixed-point block (mesa-optimizer, fixed-point form).", command: header.command))
            \(ExpectedLaws.headerLine(kind: "unrolled-fixed-point", [("width", .int(grid))]))
            // Grid: \(grid) points, periodic, 1-D; Ψ = global shift x ↦ x + t (Fourier interpolation)
            // Steps: K = \(steps) Lucas–Kanade steps, Ψ_{k+1} = TwoStep{Ψ_k, Φ} = Ψ_k ∘ Φ[A∘Ψ_k, B]
            // Type: \(typeName)
            import ArchSynthRuntime

            /// t_K with A(x + t_K) ≈ B(x). Law: [U,U] (both signals rolled together leave t_K unchanged);
            /// fixed points also obey [W,U] (t ↦ t + u − w), reached as K grows where unique.
            """)
        p.block("public struct \(typeName): LawfulModel") { p in
            p.print("""
                public static let kind = "unrolled-fixed-point"
                public static let inputSizes = [\(grid), \(grid)]
                public static let outputSize = 1
                public static let parameterCount = 0
                public static let block = UnrolledFixedPoint(count: \(grid), steps: \(steps))
                public static var laws: [(law: Law, threshold: Double)] {
                    [(UnrolledFixedPoint.diagonalLaw(count: \(grid), shifts: Array(0..<\(grid))), 1e-10)]
                }

                public var parameters: [Double] = []

                public init(seed: UInt64) {}

                public func forward(_ inputs: [[Double]]) -> [Double] { [Self.block.shift(inputs[0], inputs[1])] }

                /// [U,U] and [W,U] errors (grid units) for K = 1, 2, 4, …, 64 on signal pairs with a unique fixed point
                /// (`UnrolledSweep.wavePairs`, 12 random moves): `archsynth verify` prints it.
                public static func stepSweep() -> [UnrolledBlockRow] {
                    UnrolledSweep.fixedPoint(
                        name: "Lucas–Kanade, unique fixed point", diagonal: UnrolledFixedPoint.diagonalLaw(count: \(grid), shifts: Array(0..<\(grid))),
                        larger: UnrolledFixedPoint.pairLaw(count: \(grid), pairs: UnrolledSweep.moves(count: \(grid), moves: 12, seed: 2)),
                        inputSizes: inputSizes, pairs: UnrolledSweep.wavePairs(count: \(grid), pairs: 4, seed: 1).pairs
                    ) { k, x in [UnrolledFixedPoint(count: \(grid), steps: k).shift(x[0], x[1])] }
                }
                """)
        }
        return p.content
    }

    func source2D(height h: Int) -> String {
        let w = grid
        var p = CodePrinter()
        p.print("""
            \(GeneratedFileHeader.opening(toolVersion: header.toolVersion, describing: "an unrolled fixed-point block (mesa-optimizer, fixed-point form).", command: header.command))
            \(ExpectedLaws.headerLine(kind: "unrolled-fixed-point", [("height", .int(h)), ("width", .int(w))]))
            // Grid: \(h)x\(w) points, periodic, row-major; Ψ = global shift (y, x) ↦ (y + t_y, x + t_x) (Fourier interpolation)
            // Steps: K = \(steps) Lucas–Kanade steps, Ψ_{k+1} = TwoStep{Ψ_k, Φ} = Ψ_k ∘ Φ[A∘Ψ_k, B]
            // Type: \(typeName)
            import ArchSynthRuntime

            /// [t_y, t_x] with A(y + t_y, x + t_x) ≈ B(y, x). Law: [U,U] (both signals rolled together leave
            /// t unchanged); fixed points also obey [W,U] (t ↦ t + u − w), reached as K grows where unique.
            """)
        p.block("public struct \(typeName): LawfulModel") { p in
            p.print("""
                public static let kind = "unrolled-fixed-point"
                public static let inputSizes = [\(h * w), \(h * w)]
                public static let outputSize = 2
                public static let parameterCount = 0
                public static let block = UnrolledFixedPoint2D(height: \(h), width: \(w), steps: \(steps))
                public static var laws: [(law: Law, threshold: Double)] {
                    let shifts = (0..<\(h * w)).map { (y: $0 / \(w), x: $0 % \(w)) }
                    return [(UnrolledFixedPoint2D.diagonalLaw(height: \(h), width: \(w), shifts: shifts), 1e-10)]
                }

                public var parameters: [Double] = []

                public init(seed: UInt64) {}

                public func forward(_ inputs: [[Double]]) -> [Double] { Self.block.shift(inputs[0], inputs[1]) }

                /// [U,U] and [W,U] errors (grid units, worst axis) for K = 1, 2, 4, …, 64 on signal pairs with a unique
                /// fixed point (`UnrolledSweep.wavePairs2D`, 8 random moves): `archsynth verify` prints it.
                public static func stepSweep() -> [UnrolledBlockRow] {
                    var rng = RuntimeRandom(seed: 2)
                    let moves = (0..<8).map { _ in (w: (y: rng.index(\(h)), x: rng.index(\(w))), u: (y: rng.index(\(h)), x: rng.index(\(w)))) }
                    return UnrolledSweep.fixedPoint(
                        name: "Lucas–Kanade 2-D, unique fixed point", diagonal: laws[0].law,
                        larger: UnrolledFixedPoint2D.pairLaw(height: \(h), width: \(w), pairs: moves),
                        inputSizes: inputSizes, pairs: UnrolledSweep.wavePairs2D(height: \(h), width: \(w), pairs: 3, seed: 1)
                    ) { k, x in UnrolledFixedPoint2D(height: \(h), width: \(w), steps: k).shift(x[0], x[1]) }
                }
                """)
        }
        return p.content
    }
}
