import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `icl-gd` (claim 4 of docs/MATHEMATICS.md §8, Fig. 7b): gradient descent on R_ICL converges to
/// +- sqrt(alpha2) v, the spike of the Wishart scale V = xi^2 I + theta v v^T.
struct InContextConvergence: PaperClaim {
    static let id = "icl-gd"

    struct Instance: Sendable, CustomStringConvertible {
        let spike: [Double]
        let xi: Double
        let theta: Double
        let n: Int
        let lam: Double
        let start: [Double]
        var description: String {
            "d = \(spike.count), n = \(n), xi = \(String(format: "%.4g", xi)), theta = \(String(format: "%.4g", theta)), lam = \(String(format: "%.4g", lam))"
        }
    }

    static func generator(_ entry: ClaimEntry, sabotage: Sabotage?) throws -> Generator<Instance> {
        let spiked = try InstanceSpace.inContextParameters(entry.instances)
        let startScale = try entry.instances.range("start-scale", positive: true)
        let parameters = Gen.zip(spiked, Gen.reals(in: startScale))
        return Gen.lifting(parameters: parameters) { stream, p in
            let (((d, n), (xi, theta), lam), scale) = p
            let strength = InstanceSpace.spikeStrength(theta: theta, xi: xi, sabotage: sabotage)
            let spike = stream.unitVector(dimension: d)
            let risk = try InContextRisk(spike: spike, xi: xi, theta: strength, degreesOfFreedom: n, lam: lam)
            return Instance(spike: spike, xi: xi, theta: strength, n: n, lam: lam,
                            start: stream.unitVector(dimension: d).scaled(by: scale * risk.optimalSquaredNorm.squareRoot()))
        }
    }

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let delta = try entry.tolerance.positive("relative-distance")
        let maxSteps = try entry.method.integer("max-steps", atLeast: 1)
        let stepFactor = try entry.method.positive("max-steps-factor")
        let safety = try entry.method.positive("step-safety")
        return UniversalProperty(id, generator: try generator(entry, sabotage: sabotage), budget: entry.budget) { instance, log in
            let correct = try InContextRisk(spike: instance.spike, xi: instance.xi, theta: instance.theta,
                                            degreesOfFreedom: instance.n, lam: instance.lam)
            var descended: any DifferentiableRisk = correct
            if sabotage == .wishartNormalised {
                // E over S/n of R_inf(mu; S/n) = (1/n) R_ICL(mu) at lam / n.
                let n = Double(instance.n)
                descended = ReplacedRisk(correct: correct, factor: 1 / n, wrong: try InContextRisk(
                    spike: instance.spike, xi: instance.xi, theta: instance.theta, degreesOfFreedom: instance.n, lam: instance.lam / n))
            }
            // docs/MATHEMATICS.md §4.4: +- sqrt(alpha2) v; the minimum value is n R_1*(V, L = n) by the identity (§3.3).
            let target = instance.spike.scaled(by: correct.optimalSquaredNorm.squareRoot())
            let linear = try LinearAttentionRisk(covariance: correct.scale, lam: instance.lam, promptLength: instance.n)
            return try ConvergenceCheck(correct: correct, descended: descended, target: target,
                                        minimumValue: Double(instance.n) * linear.criticalValue(direction: 0), delta: delta,
                                        stepFactor: stepFactor, maxSteps: maxSteps, safety: safety).run(from: instance.start, log: &log)
        }
    }
}
