import LinearAlgebra

/// Full-gradient descent on a closed-form risk: mu <- mu - step * grad R(mu).
///
/// Convergence criterion: |grad R(mu)| <= `gradientTolerance`. Near a non-degenerate minimiser
/// this bounds the distance to it by gradientTolerance / h_min (h_min the smallest Hessian
/// eigenvalue there, `StepSizeRule.curvatureRange`), so a caller who needs |mu - mu*| <= delta
/// sets gradientTolerance = delta * h_min. Any non-finite value stops the run as `.diverged`;
/// `shouldStop` ends it early as `.stopped`.
public struct GradientDescent: Sendable {
    /// The step size.
    public var stepSize: Double
    /// The step budget.
    public var maximumSteps: Int
    /// Stop when the gradient norm is at most this.
    public var gradientTolerance: Double
    /// Record a trajectory point every this many steps (nil: record nothing).
    public var recordEvery: Int?
    /// Asked before every step; when it returns true the run ends as `.stopped` (how a
    /// cancelled long run stops between its steps). Nil: never asked.
    public var shouldStop: (@Sendable () -> Bool)?

    /// A gradient-descent run configuration.
    public init(stepSize: Double, maximumSteps: Int, gradientTolerance: Double, recordEvery: Int? = nil) throws(ModelError) {
        guard stepSize.isFinite, stepSize > 0 else { throw .invalidParameter(name: "step size", value: stepSize, requirement: "a finite number > 0") }
        guard maximumSteps >= 0 else { throw .invalidParameter(name: "maximum steps", value: Double(maximumSteps), requirement: ">= 0") }
        guard gradientTolerance >= 0, !gradientTolerance.isNaN else {
            throw .invalidParameter(name: "gradient tolerance", value: gradientTolerance, requirement: ">= 0")
        }
        if let k = recordEvery, k < 1 { throw .invalidParameter(name: "recordEvery", value: Double(k), requirement: ">= 1") }
        self.stepSize = stepSize
        self.maximumSteps = maximumSteps
        self.gradientTolerance = gradientTolerance
        self.recordEvery = recordEvery
    }

    /// Minimises `risk` from `start`; alignment in the trajectory is measured against `target`.
    public func minimise(_ risk: some DifferentiableRisk, from start: [Double], alignmentTarget target: [Double]? = nil) -> TrainingResult {
        precondition(start.count == risk.dimension, "start has dimension \(start.count), risk has \(risk.dimension)")
        var mu = start
        var trajectory = [TrajectoryPoint]()
        func record(_ step: Int) {
            trajectory.append(TrajectoryPoint(step: step, alignment: target.map { mu.alignment(with: $0) },
                                              risk: risk.value(at: mu), batchLoss: nil, squaredNorm: mu.squaredNorm))
        }
        var step = 0
        var previousGradient: [Double]?
        while true {
            let gradient = risk.gradient(at: mu)
            let gradientNorm = gradient.norm
            if let k = recordEvery, step % k == 0 { record(step) }
            guard gradientNorm.isFinite else {
                let diagnosis = "gradient is not finite at step \(step) (|mu|^2 = \(mu.squaredNorm)); the step size \(stepSize) "
                    + "is likely above the stable bound 2 / curvature = \(2 / risk.curvatureAtMinimum) at the minimiser, "
                    + "or the start is too far out for it (the risk is quartic)"
                return finish(.diverged, mu, step, gradientNorm, diagnosis, trajectory)
            }
            if gradientNorm <= gradientTolerance {
                if let k = recordEvery, step % k != 0 { record(step) }
                return finish(.converged, mu, step, gradientNorm, nil, trajectory)
            }
            if step == maximumSteps {
                if let k = recordEvery, step % k != 0 { record(step) }
                return finish(.budgetExhausted, mu, step, gradientNorm,
                              budgetDiagnosis(risk, gradient: gradient, previousGradient: previousGradient), trajectory)
            }
            if shouldStop?() == true { return finish(.stopped, mu, step, gradientNorm, "stopped on request at step \(step)", trajectory) }
            previousGradient = gradient
            let previous = mu
            for j in mu.indices { mu[j] -= stepSize * gradient[j] }
            step += 1
            guard mu.isFinite else {
                let diagnosis = "the iterate overflowed at step \(step) (|mu|^2 was \(previous.squaredNorm)); the step size \(stepSize) "
                    + "is likely above the stable bound 2 / curvature = \(2 / risk.curvatureAtMinimum) at the minimiser"
                return finish(.diverged, previous, step - 1, gradientNorm, diagnosis, trajectory)
            }
        }
    }

    /// Why a run that used its whole budget did not converge: a step above the stable bound
    /// 2 / h_max at the minimiser (GD oscillates there and can never settle), successive
    /// gradients pointing in opposite directions (oscillating on the way), or neither (still
    /// descending: the budget is short, not the step).
    func budgetDiagnosis(_ risk: some DifferentiableRisk, gradient: [Double], previousGradient: [Double]?) -> String {
        let curvature = risk.curvatureAtMinimum
        let bound = 2 / curvature
        if stepSize > bound {
            return "oscillating: the step size \(stepSize) is above the stable bound 2 / h_max = \(bound) at the minimiser "
                + "(step x h_max = \(stepSize * curvature) > 2), so gradient descent cannot settle there; use a step below \(bound)"
        }
        if let previous = previousGradient, previous.norm > 0, gradient.norm > 0 {
            let cosine = previous.dot(gradient) / (previous.norm * gradient.norm)
            if cosine < -0.5 {
                return "oscillating: successive gradients point in opposite directions (cos = \(cosine)) with step size \(stepSize) "
                    + "(stable bound at the minimiser 2 / h_max = \(bound)): the step is too large for the curvature met on the way"
            }
        }
        return "not converged yet: still descending at |grad| = \(gradient.norm) > tolerance \(gradientTolerance) "
            + "(step size \(stepSize), stable bound 2 / h_max = \(bound)): the step budget is short, not the step"
    }

    private func finish(_ stop: TrainingResult.Stop, _ mu: [Double], _ steps: Int, _ gradientNorm: Double,
                        _ diagnosis: String?, _ trajectory: [TrajectoryPoint]) -> TrainingResult {
        TrainingResult(stop: stop, parameters: mu, averagedParameters: mu, steps: steps, finalGradientNorm: gradientNorm,
                       diagnosis: diagnosis, trajectory: trajectory)
    }
}
