import GroupTheory

/// Where the direct summands of an expression sit among its coordinates, in layout order.
///
/// `RepresentationExpression.summands` merges repeated summands into multiplicities; the
/// solver also needs the coordinates of each copy. Copy coordinate k of a summand lies at
/// global coordinate `offset + k · stride`:
/// - `a + b`: a's coordinates first (offset 0), then b's (offset dim a);
/// - `m * b` (I_m ⊗ b, e_i ⊗ f_j at i·dim b + j): copy i at offset i·dim b, stride 1;
/// - `a * m` (a ⊗ I_m): copy j at offset j, stride m (interleaved);
/// - an integer `m`: m copies of the 1-dimensional trivial representation.
///
/// ```swift
/// try SummandLayout(RepresentationExpression(parsing: "V*2 + W"), group: g).copies
/// // V at (0, stride 2), V at (1, stride 2), W at (2·dim V, stride 1)
/// ```
struct SummandLayout {
    struct Copy {
        var expression: RepresentationExpression
        var offset: Int
        var stride: Int
        var dimension: Int
    }

    var copies: [Copy] = []
    var dimension: Int
    /// Distinct summand expressions in order of first appearance.
    var distinct: [RepresentationExpression] = []
    /// For each copy, its index in `distinct`.
    var distinctIndex: [Int] = []

    init(_ expression: RepresentationExpression, group: FiniteGroup) throws {
        dimension = try SummandLayout.dimension(expression, group: group)
        try flatten(expression, offset: 0, stride: 1, group: group)
        for copy in copies {
            if let i = distinct.firstIndex(of: copy.expression) {
                distinctIndex.append(i)
            } else {
                distinctIndex.append(distinct.count)
                distinct.append(copy.expression)
            }
        }
    }

    static func dimension(_ e: RepresentationExpression, group: FiniteGroup) throws -> Int {
        let d: BigUInt
        do { d = try group.dimension(of: e) } catch { throw SolverError.representation("\(error)") }
        guard let n = d.intValue, n <= group.options.maxDimension else {
            throw SolverError.representation(
                "the representation \(e) has dimension \(d), above the limit of \(group.options.maxDimension); use a smaller expression or raise the limit (GroupOptions.maxDimension; command line: --max-rep-dimension N)")
        }
        return n
    }

    /// Every summand's dimension is at most the whole's, already checked in `init`; an error
    /// here (a name the group lacks) is the caller's to see, not a silent zero offset.
    private mutating func flatten(_ e: RepresentationExpression, offset: Int, stride: Int, group: FiniteGroup) throws {
        switch e {
        case let .sum(a, b):
            let da = try SummandLayout.dimension(a, group: group)
            try flatten(a, offset: offset, stride: stride, group: group)
            try flatten(b, offset: offset + da * stride, stride: stride, group: group)
        case let .tensor(.trivial(m), b) where m > 1:
            let db = try SummandLayout.dimension(b, group: group)
            for i in 0..<m { try flatten(b, offset: offset + i * db * stride, stride: stride, group: group) }
        case let .tensor(.trivial(1), b):
            try flatten(b, offset: offset, stride: stride, group: group)
        case let .tensor(a, .trivial(m)):
            for j in 0..<m { try flatten(a, offset: offset + j * stride, stride: stride * m, group: group) }
        case let .trivial(m) where m > 1:
            for i in 0..<m { try flatten(.trivial(1), offset: offset + i * stride, stride: stride, group: group) }
        default:
            let d = try SummandLayout.dimension(e, group: group)
            copies.append(Copy(expression: e, offset: offset, stride: stride, dimension: d))
        }
    }
}
