import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `softmax-infinite-gd` (claim 1 of docs/MATHEMATICS.md §8, Fig. 3b): gradient descent on R_inf from a random
/// start converges to +- u_1 / sqrt(lam s_1), with risk tr S - s_1.
struct SoftmaxInfiniteConvergence: PaperClaim {
    static let id = "softmax-infinite-gd"

    struct Instance: Sendable, CustomStringConvertible {
        let covariance: CovarianceInstance
        let lam: Double
        let start: [Double]
        var description: String {
            "\(covariance); lam = \(String(format: "%.4g", lam)); |mu0| = \(String(format: "%.4g", start.norm)) x |mu*|"
        }
    }

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let lamRange = try entry.instances.range("lam", positive: true)
        let startScale = try entry.instances.range("start-scale", positive: true)
        let delta = try entry.tolerance.positive("relative-distance")
        let maxSteps = try entry.method.integer("max-steps", atLeast: 1)
        let stepFactor = try entry.method.positive("max-steps-factor")
        let safety = try entry.method.positive("step-safety")
        let covariances = try InstanceSpace.covariances(entry.instances, sabotage: sabotage)
        let parameters = Gen.zip(covariances, Gen.logUniform(in: lamRange).observed(as: "lam"),
                                 Gen.reals(in: startScale, shrinkingToward: .lowerBound).observed(as: "start scale"))
        let generator = Gen.lifting(parameters: parameters) { stream, p in
            let (instance, lam, scale) = p
            let s1 = instance.covariance.eigenvalues[0]
            return Instance(covariance: instance, lam: lam,
                            start: stream.unitVector(dimension: instance.covariance.dimension).scaled(by: scale / (lam * s1).squareRoot()))
        }
        return UniversalProperty(id, generator: generator, budget: entry.budget) { instance, log in
            let s = instance.covariance.covariance
            let lam = instance.lam
            let values = s.eigenvalues
            let correct = try InfinitePromptSoftmaxRisk(covariance: s, lam: lam)
            let risk: any DifferentiableRisk = sabotage.map { SabotagedInfiniteRisk(base: correct, sabotage: $0) } ?? correct
            // docs/MATHEMATICS.md §4.2: the minimiser is +- u_1 / sqrt(lam s_1) with value tr S - s_1.
            let target = s.topDirection(under: sabotage).scaled(by: 1 / (lam * values[0]).squareRoot())
            return try ConvergenceCheck(correct: correct, descended: risk, target: target, minimumValue: s.trace - values[0],
                                        delta: delta, stepFactor: stepFactor, maxSteps: maxSteps, safety: safety, stepSizeFactor: sabotage?.stepSizeFactor ?? 1).run(from: instance.start, log: &log)
        }
    }
}
