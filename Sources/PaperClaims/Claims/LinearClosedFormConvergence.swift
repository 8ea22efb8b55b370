import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `linear-gd` (claim 3 of docs/MATHEMATICS.md §8, Fig. 4b): gradient descent on R_lin,L converges to
/// +- sqrt(s_1*) u_1 with value R_1*, for every prompt length L >= 1.
struct LinearClosedFormConvergence: PaperClaim {
    static let id = "linear-gd"

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let delta = try entry.tolerance.positive("relative-distance")
        let maxSteps = try entry.method.integer("max-steps", atLeast: 1)
        let stepFactor = try entry.method.positive("max-steps-factor")
        let safety = try entry.method.positive("step-safety")
        let startScale = try entry.instances.range("start-scale", positive: true)
        let generator = Gen.zip(try PromptInstance.generator(entry, sabotage: sabotage) { s, lam, length in
            try LinearAttentionRisk(covariance: s, lam: lam, promptLength: length).criticalSquaredNorm(direction: 0).squareRoot()
        }, Gen.reals(in: startScale).observed(as: "start scale")).map { instance, scale in
            PromptInstance(covariance: instance.covariance, lam: instance.lam, length: instance.length,
                           start: instance.start.scaled(by: scale), seed: instance.seed)
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
            // docs/MATHEMATICS.md §4.3: +- sqrt(s_1*) u_1, s_1* = (T + (L+1) s_1) / (lam (L+2) s_1 (T + (L+3) s_1)), value R_1*.
            let target = s.topDirection(under: sabotage).scaled(by: correct.criticalSquaredNorm(direction: 0).squareRoot())
            return try ConvergenceCheck(correct: correct, descended: descended, target: target,
                                        minimumValue: correct.criticalValue(direction: 0), delta: delta,
                                        stepFactor: stepFactor, maxSteps: maxSteps, safety: safety, stepSizeFactor: sabotage?.stepSizeFactor ?? 1).run(from: instance.start, log: &log)
        }
    }
}
