import AttentionModels
import Foundation
import LinearAlgebra
import PropertyEngine

/// The check shared by the three gradient-descent claims: GD on `risk` from `start`, with the
/// step from the Hessian rule of the correct risk and the stopping rule
/// |grad| <= delta |mu*| h_min, must stop converged within `delta`-relative distance of
/// +- `target`, at the claimed minimum value, within `stepFactor` times the iterations linear
/// convergence predicts: k = ln(|mu0 - mu*| / (delta |mu*|)) / (step h_min).
struct ConvergenceCheck {
    let correct: any DifferentiableRisk
    let descended: any DifferentiableRisk
    let target: [Double]
    let minimumValue: Double
    let delta: Double
    let stepFactor: Double
    let maxSteps: Int
    let safety: Double
    /// The factor on the rule's step that GD takes (1; 4 under the `step-size-scaled` control).
    var stepSizeFactor = 1.0

    func run(from start: [Double], log: inout TrialLog) throws -> Check {
        // The Hessian at the minimiser: its extreme eigenvalues set the stopping rule and the
        // risk tolerance (|R - R*| <= h_max |mu - mu*|^2 / 2 by Taylor; we allow h_max |.|^2).
        let curvature = try correct.hessian(at: target).symmetricEigendecomposition().values
        let smallest = curvature.last!, largest = curvature.first!
        // The claim presupposes a strict minimiser: its smallest Hessian eigenvalue must exceed the
        // rounding of the eigenvalues (64 d eps h_max). Otherwise (no spectral gap) the target
        // direction is not defined and the check fails without running GD.
        let resolution = 64 * Double(target.count) * Double.ulpOfOne * largest
        guard smallest > resolution else {
            return Check.atLeast(smallest, resolution, "smallest Hessian eigenvalue at the claimed minimiser (strict minimum)")
        }
        let step = StepSizeRule.stable(for: correct, from: start, safetyFactor: safety)
        let initialDistance = max(min(start.subtracting(target).norm, start.adding(target).norm), delta * target.norm)
        let predicted = Foundation.log(initialDistance / (delta * target.norm)) / (step * smallest)
        log.feature("predicted GD steps", predicted)
        // Instances whose predicted cost exceeds a third of the hard cap are rejected (counted in
        // the report's coverage), not failed: their verdict would be about the budget.
        try assume(3 * predicted <= Double(maxSteps), "predicted GD iterations above max-steps / 3")
        let budget = Int(min(Double(maxSteps), (stepFactor * predicted).rounded(.up)))
        let gd = try GradientDescent(stepSize: stepSizeFactor * step, maximumSteps: max(budget, 1), gradientTolerance: delta * target.norm * smallest)
        let result = gd.minimise(descended, from: start)
        log.feature("GD steps", Double(result.steps))
        log.event("stop: \(result.stop.rawValue)")
        let distance = min(result.parameters.subtracting(target).norm, result.parameters.adding(target).norm) / target.norm
        let riskError = abs(correct.value(at: result.parameters) - minimumValue)
        // Rounding of the value near the minimum: the quartic's terms are at most a few times
        // |R(0)| + h_max |mu*|^2, each with relative error (2d + 10) eps.
        let rounding = 16 * Double(2 * target.count + 10) * Double.ulpOfOne * (abs(correct.value(at: [Double](repeating: 0, count: target.count))) + largest * target.squaredNorm)
        let why = result.diagnosis.map { ": \($0)" } ?? ""
        return Check.that(result.stop == .converged, "GD met its convergence criterion (\(result.stop.rawValue) after \(result.steps) steps\(why))")
            && Check.atMost(distance, 2 * delta, "relative distance to the claimed minimiser (+-)")
            && Check.atMost(riskError, largest * pow(2 * delta * target.norm, 2) + rounding, "|R(mu) - claimed minimum|")
    }
}
