import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `icl-gd` (SPEC claim 4, Fig. 7b): gradient descent on R_ICL converges to
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
        let dimensions = try entry.instances.integerRange("dimension", atLeast: 1)
        let ns = try entry.instances.integerRange("wishart-degrees", atLeast: 1)
        let xis = try entry.instances.range("xi", positive: true)
        let thetas = try entry.instances.range("theta", positive: true)
        let lams = try entry.instances.range("lam", positive: true)
        let startScale = try entry.instances.range("start-scale", positive: true)
        let parameters = Gen.zip(Gen.zip(Gen.integers(in: dimensions).observed(as: "d"), Gen.integers(in: ns).observed(as: "n")),
                                 Gen.zip(Gen.reals(in: xis).observed(as: "xi"), Gen.logUniform(in: thetas, shrinkingToward: .upperBound).observed(as: "theta")),
                                 Gen.zip(Gen.logUniform(in: lams).observed(as: "lam"), Gen.reals(in: startScale)))
        return Gen.lifting(parameters: parameters) { stream, p in
            let ((d, n), (xi, theta), (lam, scale)) = p
            // No spectral gap: V = xi^2 I up to a spike too weak to define v in float64 arithmetic.
            let strength = sabotage == .noSpectralGap ? 1e-15 * xi * xi : theta
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
            // SPEC: +- sqrt(alpha2) v; the minimum value is n R_1*(V, L = n) by the identity.
            let target = instance.spike.scaled(by: correct.optimalSquaredNorm.squareRoot())
            let linear = try LinearAttentionRisk(covariance: correct.scale, lam: instance.lam, promptLength: instance.n)
            return try ConvergenceCheck(correct: correct, descended: descended, target: target,
                                        minimumValue: Double(instance.n) * linear.criticalValue(direction: 0), delta: delta,
                                        stepFactor: stepFactor, maxSteps: maxSteps, safety: safety).run(from: instance.start, log: &log)
        }
    }
}
