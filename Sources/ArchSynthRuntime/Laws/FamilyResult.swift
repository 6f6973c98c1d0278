/// The worst error over one input family, the row type of every verification report: a law's
/// check (`LawReport`, with the element that gave the worst error) and `archsynth verify`'s
/// reports for generated layers (the Float64 forward pass in `worst`, the Float one in
/// `floatWorst`) and for templates and blocks.
///
/// ```swift
/// let row = FamilyResult(family: "cauchy", worst: 3e-16, element: "r s")
/// row.worst <= 1e-12   // true
/// ```
public struct FamilyResult: Sendable {
    /// The input family's name (`InputFamily.rawValue`).
    public let family: String
    /// The worst error (the law's distance; Float64 where two precisions are checked), `infinity`
    /// for a non-finite one.
    public let worst: Double
    /// The element that gave `worst`, as the law describes elements (nil: not recorded).
    public let element: String?
    /// The worst error of the Float forward pass, when one was checked as well.
    public let floatWorst: Double?

    /// A family result from its fields, as stored.
    public init(family: String, worst: Double, element: String? = nil, floatWorst: Double? = nil) {
        (self.family, self.worst, self.element, self.floatWorst) = (family, worst, element, floatWorst)
    }
}
