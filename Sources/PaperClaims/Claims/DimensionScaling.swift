import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `dimension-sweep` (claim 5 of docs/MATHEMATICS.md §8, Fig. 6a): with lam = lam0 / d and step = eta0 / d^2, the
/// paper's scaling, gradient descent on R_inf stays stable and still converges to +- u_1 as d
/// grows. The iterations it needs, and whether the published 5000 steps suffice, are recorded.
struct DimensionScaling: PaperClaim {
    static let id = "dimension-sweep"

    struct Instance: Sendable, CustomStringConvertible {
        let covariance: CovarianceInstance
        let start: [Double]
        var description: String { "\(covariance); start on the unit sphere" }
    }

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let lamScale = try entry.method.positive("lam-times-d")
        let stepScale = try entry.method.positive("step-times-d-squared")
        let published = try entry.method.integer("published-steps", atLeast: 1)
        let maxSteps = try entry.method.integer("max-steps", atLeast: 1)
        let delta = try entry.tolerance.positive("relative-distance")
        let generator = Gen.lifting(parameters: try InstanceSpace.covariances(entry.instances, sabotage: sabotage)) { stream, instance in
            Instance(covariance: instance, start: stream.unitVector(dimension: instance.covariance.dimension))
        }
        return UniversalProperty(id, generator: generator, budget: entry.budget) { instance, log in
            let s = instance.covariance.covariance
            let d = Double(s.dimension)
            let lam = lamScale / d, step = stepScale / (d * d)
            let values = s.eigenvalues
            let correct = try InfinitePromptSoftmaxRisk(covariance: s, lam: lam)
            let risk: any DifferentiableRisk = sabotage.map { SabotagedInfiniteRisk(base: correct, sabotage: $0) } ?? correct
            let target = s.topEigenvector.scaled(by: 1 / (lam * values[0]).squareRoot())
            let curvatures = correct.curvaturesAtMinimum
            let atStart = try correct.hessian(at: instance.start).symmetricEigendecomposition().values.first!
            // Stability: GD is stable near the minimiser only if step < 2 / h_max (docs/MATHEMATICS.md §6.1).
            let stability = step * max(curvatures.max()!, atStart)
            let gd = try GradientDescent(stepSize: step, maximumSteps: maxSteps, gradientTolerance: delta * target.norm * curvatures.min()!,
                                         recordEvery: published)
            let result = gd.minimise(risk, from: instance.start, alignmentTarget: s.topEigenvector)
            let atPublished = result.trajectory.first { $0.step == published }?.alignment ?? result.parameters.alignment(with: s.topEigenvector)
            log.feature("GD steps to converge", Double(result.steps))
            log.feature("alignment after the published budget", atPublished)
            log.feature("step x h_max", stability)
            log.event(result.steps <= published ? "converged within the published budget" : "needs more than the published budget")
            let distance = min(result.parameters.subtracting(target).norm, result.parameters.adding(target).norm) / target.norm
            return Check.atMost(stability, 2, "published step x largest curvature (stable below 2)")
                && Check.that(result.stop == .converged, "GD converged (\(result.stop.rawValue) after \(result.steps) steps)")
                && Check.atMost(distance, 2 * delta, "relative distance to +-u_1/sqrt(lam s_1)")
        }
    }
}
