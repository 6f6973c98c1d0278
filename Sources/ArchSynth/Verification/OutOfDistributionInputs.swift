import ArchSynthRuntime
import Foundation
import GroupTheory

/// The input families of DESIGN.md "Verification (out of distribution)": the runtime's
/// `InputFamily` (standard normal, ×1e4, ×1e-4, Cauchy, one-hot, constant), one definition for
/// the library checks, the law checks and the compiled harnesses.
public typealias OutOfDistributionInputs = InputFamily
