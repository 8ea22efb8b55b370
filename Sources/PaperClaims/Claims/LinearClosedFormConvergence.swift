import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `linear-gd` (SPEC claim 3, Fig. 4b): gradient descent on R_lin,L converges to
/// +- sqrt(s_1*) u_1 with value R_1*, for every prompt length L >= 1.
struct LinearClosedFormConvergence: PaperClaim {
    static let id = "linear-gd"

    struct Instance: Sendable, CustomStringConvertible {
        let covariance: CovarianceInstance
        let lam: Double
        let length: Int
        let start: [Double]
        var description: String { "\(covariance); L = \(length); lam = \(String(format: "%.4g", lam))" }
    }

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let lamRange = try entry.instances.range("lam", positive: true)
        let lengths = try entry.instances.integerRange("prompt-length", atLeast: 1)
        let startScale = try entry.instances.range("start-scale", positive: true)
        let delta = try entry.tolerance.positive("relative-distance")
        let maxSteps = try entry.method.integer("max-steps", atLeast: 1)
        let stepFactor = try entry.method.positive("max-steps-factor")
        let safety = try entry.method.positive("step-safety")
        let parameters = Gen.zip(try InstanceSpace.covariances(entry.instances, sabotage: sabotage),
                                 Gen.zip(Gen.logUniform(in: lamRange).observed(as: "lam"), Gen.integers(in: lengths).observed(as: "L")),
                                 Gen.reals(in: startScale).observed(as: "start scale"))
        let generator = Gen.lifting(parameters: parameters) { stream, p in
            let (instance, (lam, length), scale) = p
            let risk = try LinearAttentionRisk(covariance: instance.covariance, lam: lam, promptLength: length)
            let start = stream.unitVector(dimension: instance.covariance.dimension).scaled(by: scale * risk.criticalSquaredNorm(direction: 0).squareRoot())
            return Instance(covariance: instance, lam: lam, length: length, start: start)
        }
        return UniversalProperty(id, generator: generator, budget: entry.budget) { instance, log in
            let s = instance.covariance.covariance
            let correct = try LinearAttentionRisk(covariance: s, lam: instance.lam, promptLength: instance.length)
            let descended: any DifferentiableRisk
            switch sabotage {
            case .promptLengthOffByOne?:
                descended = try LinearAttentionRisk(covariance: s, lam: instance.lam, promptLength: instance.length + 1)
            case .linearAveraged?:
                // T = (lam / L) alpha sum_k beta_k x_k: R_lin,L with lam / L.
                descended = try LinearAttentionRisk(covariance: s, lam: instance.lam / Double(instance.length), promptLength: instance.length)
            default:
                descended = correct
            }
            // SPEC: +- sqrt(s_1*) u_1, s_1* = (T + (L+1) s_1) / (lam (L+2) s_1 (T + (L+3) s_1)), value R_1*.
            let target = s.topEigenvector.scaled(by: correct.criticalSquaredNorm(direction: 0).squareRoot())
            return try ConvergenceCheck(correct: correct, descended: descended, target: target,
                                        minimumValue: correct.criticalValue(direction: 0), delta: delta,
                                        stepFactor: stepFactor, maxSteps: maxSteps, safety: safety).run(from: instance.start, log: &log)
        }
    }
}
