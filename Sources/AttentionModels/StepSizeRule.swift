import LinearAlgebra

/// Step sizes derived from curvature, so callers need not guess (docs/MATHEMATICS.md §6.1, §6.2).
///
/// Gradient descent on a smooth function is stable near a minimiser when the step is below
/// 2 / h_max, h_max the largest Hessian eigenvalue there; just above it GD settles into a
/// period-2 oscillation. The risks are quartic, so curvature grows with |mu|^2: the rule takes
/// the larger of the curvature at the minimiser and at the start.
public enum StepSizeRule {
    /// `safetyFactor` x 2 / max(h_max at the minimiser, h_max at `start`).
    public static func stable(for risk: some DifferentiableRisk, from start: [Double], safetyFactor: Double = 0.5) -> Double {
        let atStart = (try? risk.hessian(at: start).symmetricEigendecomposition().values.first) ?? 0
        let curvature = max(risk.curvatureAtMinimum, atStart)
        return safetyFactor * 2 / curvature
    }

    /// The smallest and largest Hessian eigenvalues at the minimiser. The smallest sets how
    /// far a gradient-norm tolerance leaves the iterate from the minimiser:
    /// |mu - mu*| <= |grad R(mu)| / h_min to first order.
    public static func curvatureRange(of risk: some DifferentiableRisk) -> (smallest: Double, largest: Double) {
        let values = (try? risk.hessian(at: risk.minimiser).symmetricEigendecomposition().values) ?? [.nan]
        return (values.last!, values.first!)
    }
}
