import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `landscape` (docs/MATHEMATICS.md §4): the critical points of R_inf, R_lin,L and R_ICL are the
/// origin (a strict maximum) and +- points along the eigenvectors given in closed form; the top
/// one is the unique global minimum and every other one is a strict saddle.
struct CriticalPointLandscape: PaperClaim {
    static let id = "landscape"

    /// One risk with its closed-form critical points (computed from the formulas of
    /// docs/MATHEMATICS.md §4, not from the model's code) and the risk the check evaluates (the model, or a wrong one).
    struct Instance: Sendable, CustomStringConvertible {
        let family: String
        let summary: String
        let evaluated: any DifferentiableRisk
        /// (point, claimed value, is the global minimum)
        let points: [(point: [Double], value: Double?, top: Bool)]
        var description: String { "\(family): \(summary)" }
    }

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        var families = try entry.instances.texts("risks", allowed: ["softmax-infinite", "linear", "in-context"])
        switch sabotage {
        case .squareReplacedByCovariance?, .gradientSignError?: families = ["softmax-infinite"]
        case .promptLengthOffByOne?: families = ["linear"]
        case .wishartNormalised?: families = ["in-context"]
        default: break
        }
        let lamRange = try entry.instances.range("lam", positive: true)
        let lengths = try entry.instances.integerRange("prompt-length", atLeast: 1)
        let ns = try entry.instances.integerRange("wishart-degrees", atLeast: 1)
        let xis = try entry.instances.range("xi", positive: true)
        let thetas = try entry.instances.range("theta", positive: true)
        let factor = try entry.tolerance.positive("rounding-factor")
        let parameters = Gen.zip(Gen.zip(try InstanceSpace.covariances(entry.instances, sabotage: sabotage), Gen.element(of: families)),
                                 Gen.zip(Gen.logUniform(in: lamRange).observed(as: "lam"), Gen.integers(in: lengths)),
                                 Gen.zip(Gen.integers(in: ns), Gen.zip(Gen.reals(in: xis), Gen.logUniform(in: thetas, shrinkingToward: .upperBound))))
        let generator = Gen.lifting(parameters: parameters) { stream, p in
            let ((instance, family), (lam, length), (n, (xi, theta))) = p
            return try makeInstance(family: family, covariance: instance, lam: lam, length: length, n: n, xi: xi, theta: theta,
                                    sabotage: sabotage, stream: &stream)
        }.labelled { $0.family }
        return UniversalProperty(id, generator: generator, budget: entry.budget) { instance, log in
            let risk = instance.evaluated
            let d = risk.dimension
            let origin = [Double](repeating: 0, count: d)
            let h0 = try risk.hessian(at: origin).symmetricEigendecomposition().values
            let h0Norm = h0.map(abs).max()!
            // Rounding. Each risk is a quartic c - mu'A mu + q(mu), q homogeneous of degree 4, so
            // grad = -2A mu + g(mu) with |2A mu| <= |H(0)| |mu| and, by Euler's identity
            // Hess q(mu) mu = 3 g(mu) with Hess q(mu) = H(mu) - H(0), |g(mu)| <= (|H(0)| + |H(mu)|) |mu| / 3.
            // Every term of the gradient is therefore at most (|H(0)| + |H(mu)|) |mu|, and of the value
            // at most |R(0)| + (|H(0)| + |H(mu)|) |mu|^2, each computed with relative error (2d + 10) eps;
            // `factor` (catalogue) covers the number of such terms. |H(mu)| matters where the curvature at
            // a saddle exceeds the origin's (in-context, small xi, large theta: 11x).
            let unit = factor * Double(2 * d + 10) * Double.ulpOfOne
            var checks = [Check.atMost(h0.first!, -unit * h0Norm, "top Hessian eigenvalue at the origin (strict maximum)")]
            var topValue = Double.infinity
            var otherValues = [Double]()
            for (k, entry) in instance.points.enumerated() {
                let mu = entry.point
                let hessian = try risk.hessian(at: mu).symmetricEigendecomposition().values
                let curvature = h0Norm + hessian.map(abs).max()!
                let gradient = risk.gradient(at: mu).norm
                checks.append(Check.atMost(gradient, unit * curvature * mu.norm, "|grad| at critical point \(k)"))
                let eigenTolerance = unit * hessian.map(abs).max()!
                let value = risk.value(at: mu)
                if let claimed = entry.value {
                    let scale = abs(risk.value(at: origin)) + curvature * mu.squaredNorm
                    checks.append(Check.close(value, to: claimed, tolerance: unit * scale, "value at critical point \(k) vs closed form"))
                }
                if entry.top {
                    topValue = value
                    checks.append(Check.atLeast(hessian.last!, eigenTolerance, "smallest Hessian eigenvalue at the top point (strict minimum)"))
                } else {
                    otherValues.append(value)
                    checks.append(Check.atMost(hessian.last!, -eigenTolerance, "smallest Hessian eigenvalue at saddle \(k) (strict saddle)"))
                }
            }
            for (k, v) in otherValues.enumerated() {
                checks.append(Check.atLeast(v - topValue, unit * abs(topValue), "value gap between saddle \(k) and the global minimum"))
            }
            log.feature("critical points", Double(instance.points.count))
            return Check.all(checks)
        }
    }

    static func makeInstance(family: String, covariance instance: CovarianceInstance, lam: Double, length: Int, n: Int,
                             xi: Double, theta: Double, sabotage: Sabotage?, stream: inout RandomStream) throws -> Instance {
        let s = instance.covariance
        let values = s.eigenvalues
        let t = s.trace
        switch family {
        case "softmax-infinite":
            let correct = try InfinitePromptSoftmaxRisk(covariance: s, lam: lam)
            let risk: any DifferentiableRisk = sabotage.map { SabotagedInfiniteRisk(base: correct, sabotage: $0) } ?? correct
            // docs/MATHEMATICS.md §4.2: +- u_i / sqrt(lam s_i), value tr S - s_i.
            let points = values.indices.map { i in
                (point: s.eigen.vector(i).scaled(by: 1 / (lam * values[i]).squareRoot()), value: Optional(t - values[i]), top: i == 0)
            }
            return Instance(family: family, summary: "\(instance), lam = \(lam)", evaluated: risk, points: points)
        case "linear":
            let correct = try LinearAttentionRisk(covariance: s, lam: lam, promptLength: length)
            let risk: any DifferentiableRisk = sabotage == .promptLengthOffByOne
                ? try LinearAttentionRisk(covariance: s, lam: lam, promptLength: length + 1) : correct
            let l = Double(length)
            let points = values.indices.map { i -> (point: [Double], value: Double?, top: Bool) in
                let si = values[i]
                let squared = (t + (l + 1) * si) / (lam * (l + 2) * si * (t + (l + 3) * si))
                let value = t - (t + (l + 1) * si) * (t + (l + 1) * si) / ((l + 2) * (t + (l + 3) * si))
                return (s.eigen.vector(i).scaled(by: squared.squareRoot()), value, i == 0)
            }
            return Instance(family: family, summary: "\(instance), L = \(length), lam = \(lam)", evaluated: risk, points: points)
        default:
            let d = s.dimension
            let spike = stream.unitVector(dimension: d)
            let correct = try InContextRisk(spike: spike, xi: xi, theta: theta, degreesOfFreedom: n, lam: lam)
            let risk: any DifferentiableRisk = sabotage == .wishartNormalised
                ? ReplacedRisk(correct: correct, factor: 1 / Double(n),
                               wrong: try InContextRisk(spike: spike, xi: xi, theta: theta, degreesOfFreedom: n, lam: lam / Double(n)))
                : correct
            // docs/MATHEMATICS.md §4.4: +- sqrt(alpha2) v; along any unit w orthogonal to v (eigenvalue xi^2 of V)
            // the linear formula with S -> V, L -> n gives the other critical points.
            var points: [(point: [Double], value: Double?, top: Bool)] = [(spike.scaled(by: correct.optimalSquaredNorm.squareRoot()), nil, true)]
            if d > 1 {
                var w = stream.normals(d)
                w = w.subtracting(spike.scaled(by: spike.dot(w))).normalised
                let nn = Double(n), x2 = xi * xi, tv = correct.traceV
                let squared = (tv + (nn + 1) * x2) / (lam * (nn + 2) * x2 * (tv + (nn + 3) * x2))
                points.append((w.scaled(by: squared.squareRoot()), nil, false))
            }
            return Instance(family: family, summary: "d = \(d), n = \(n), xi = \(xi), theta = \(theta), lam = \(lam)", evaluated: risk, points: points)
        }
    }
}
