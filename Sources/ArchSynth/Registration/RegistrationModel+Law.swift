import ArchSynthRuntime
import Foundation

/// The law each registration template keeps, checked on a trained model (what
/// `archsynth verify model.json` runs).
///
/// - carl, [W,U]: Φ[A∘W, B∘U] = W⁻¹∘Φ[A,B]∘U, i.e. Φ'(x) = Φ(x + u) − w on the torus, for
///   shifts w, u that are multiples of the pooling factor (exact up to rounding there).
///   Distance: the largest circular difference of coordinates, pixels.
/// - constricon, swap: v(B, A) = −v(A, B) (exact, relative to max |v|), hence
///   Φ_BA = Φ_AB⁻¹; the inverse-consistency error mean ‖Φ_AB(Φ_BA(x)) − x‖ is reported beside it
///   (bounded by the accuracy of scaling and squaring, not exact).
public struct RegistrationLawCheck: Sendable {
    public let law: String
    public let worst: Double
    public let threshold: Double
    public let cases: Int
    /// Inverse consistency (constricon): mean and max over pixels and pairs, pixels.
    public let inverseConsistency: (mean: Double, max: Double)?
    public var passed: Bool { worst <= threshold }
}

extension RegistrationModel {
    /// The [W,U] error of any (moving, fixed) ↦ Φ map on size × size images, for shifts that are
    /// multiples of `step` (the negative controls in the tests pass maps that break it).
    public static func wuLawError(
        size: Int, step: Int, pairs: [(moving: [Double], fixed: [Double])], seed: UInt64 = 7, transform: ([Double], [Double]) -> [Double]
    ) -> (worst: Double, cases: Int) {
        let grid = PeriodicGrid(height: size, width: size)
        let distance = CoordinateAttention.circularDistance(grid: grid)
        var worst = 0.0, cases = 0
        for pair in pairs {
            let phi = transform(pair.moving, pair.fixed)
            for (w, u) in CarlRegistration.lawShifts(size: size, step: step, seed: seed) {
                let moved = transform(grid.translate(pair.moving, by: w.0, w.1), grid.translate(pair.fixed, by: u.0, u.1))
                let expected = CoordinateAttention.transformCoordinates(phi, grid: grid, w: w.0 * size + w.1, u: u.0 * size + u.1)
                let d = distance(moved, expected)
                if !(d <= worst) { worst = d.isNaN ? .infinity : d }
                cases += 1
            }
        }
        return (worst, cases)
    }

    /// Checks this model's law with `parameters` on `pairs`.
    public func checkLaw(_ parameters: [Double], pairs: [(moving: [Double], fixed: [Double])]) -> RegistrationLawCheck {
        switch kind {
        case .carl:
            let (worst, cases) = Self.wuLawError(size: hyper.size, step: hyper.poolFactor, pairs: pairs) {
                coordinates(parameters, moving: $0, fixed: $1)
            }
            return RegistrationLawCheck(
                law: "[W,U]: Φ[A∘W, B∘U] = W⁻¹∘Φ[A,B]∘U for shifts that are multiples of \(hyper.poolFactor) px (largest coordinate difference, px)",
                worst: worst, threshold: 1e-6, cases: cases, inverseConsistency: nil)
        case .constricon:
            let core = self.core!
            var worst = 0.0, icMean = 0.0, icMax = 0.0
            for pair in pairs {
                let vab = core.velocity.forward(parameters, [pair.moving, pair.fixed])
                let vba = core.velocity.forward(parameters, [pair.fixed, pair.moving])
                let scale = max(vab.map(abs).max() ?? 0, 1e-300)
                for k in vab.indices {
                    let e = abs(vab[k] + vba[k]) / scale
                    if !(e <= worst) { worst = e.isNaN ? .infinity : e }
                }
                // Unwrapped displacements Φ − id (the composition interpolates them).
                let identity: [Double] = Warp.identityMap(height: hyper.size, width: hyper.size)
                let ab = zip(coordinates(parameters, moving: pair.moving, fixed: pair.fixed), identity).map { $0 - $1 }
                let ba = zip(coordinates(parameters, moving: pair.fixed, fixed: pair.moving), identity).map { $0 - $1 }
                let ic = SwapInversionCore.inverseConsistency(form: core.form, ab, ba)
                icMean += ic.mean / Double(pairs.count)
                icMax = max(icMax, ic.max)
            }
            return RegistrationLawCheck(
                law: "swap: v(B, A) = −v(A, B), so Φ_BA = Φ_AB⁻¹ (largest |v(A,B) + v(B,A)| / max |v|)",
                worst: worst, threshold: 1e-9, cases: pairs.count, inverseConsistency: (icMean, icMax))
        }
    }
}
