import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness
import Statistics

/// Claim `formulas-monte-carlo` (docs/MATHEMATICS.md §3.2, §3.3, §5.1: derived, then checked): R_lin,L, R_ICL and the
/// finite-L softmax reduction equal the Monte Carlo means of the quantities they claim to be,
/// and the gradient of R_lin,L equals the mean per-prompt gradient the production layer trains
/// with. Each trial draws an instance and a formula, and runs z-tests whose levels add up to
/// `trial-alpha` (Bonferroni); a correct formula passes a fraction at least 1 - trial-alpha of
/// trials, a wrong one almost none, and the sequential rate test on the pass fraction decides
/// with stated alpha and beta.
struct FormulasAgainstMonteCarlo: PaperClaim {
    static let id = "formulas-monte-carlo"

    struct Instance: Sendable, CustomStringConvertible {
        let formula: String
        let covariance: CovarianceInstance
        let lam: Double
        let length: Int
        let n: Int
        let seed: UInt64
        var description: String { "\(formula): \(covariance); L = \(length); n = \(n); lam = \(String(format: "%.4g", lam))" }
    }

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        var formulas = try entry.instances.texts("formulas", allowed: ["linear", "in-context", "finite-softmax"])
        switch sabotage {
        case .wrongLayerKind?, .linearAveraged?, .promptLengthOffByOne?, .linearGradientWrongTerm?: formulas = ["linear"]
        case .wishartNormalised?: formulas = ["in-context"]
        case .queryOutOfKeys?: formulas = ["linear", "finite-softmax"]
        default: break
        }
        let lams = try entry.instances.range("lam", positive: true)
        let lengths = try entry.instances.integerRange("prompt-length", atLeast: 2)
        let ns = try entry.instances.integerRange("wishart-degrees", atLeast: 1)
        let samples = try entry.method.integer("samples", atLeast: 100)
        let trialAlpha = try entry.method.positive("trial-alpha")
        let (claim, errors) = try entry.statisticalDecision()
        let parameters = Gen.zip(Gen.zip(Gen.element(of: formulas), try InstanceSpace.covariances(entry.instances, sabotage: sabotage)),
                                 Gen.zip(Gen.logUniform(in: lams).observed(as: "lam"), Gen.integers(in: lengths).observed(as: "L")),
                                 Gen.integers(in: ns).observed(as: "n"))
        let generator = Gen.lifting(parameters: parameters) { stream, p in
            let ((formula, covariance), (lam, length), n) = p
            return Instance(formula: formula, covariance: covariance, lam: lam, length: length, n: n, seed: stream.next())
        }.labelled { $0.formula }
        return StatisticalProperty(id, generator: generator, claim: claim, errors: errors, budget: entry.budget) { instance, log in
            let tests = try zTests(instance, samples: samples, sabotage: sabotage)
            // Bonferroni: the trial's tests share its level, so a correct formula fails a trial
            // with probability at most trial-alpha (up to the normal approximation below).
            let quantile = try Normal.upperQuantile(trialAlpha / (2 * Double(tests.count)))
            var worst = 0.0, accepted = true
            for test in tests {
                // Cornish-Fisher: the mean of skewed draws has quantile z + (z^2 - 1) g / 6 (g its skewness).
                let bound = quantile + (quantile * quantile - 1) * abs(test.skew) / 6
                worst = max(worst, abs(test.z) / bound)
                if !(abs(test.z) <= bound) { accepted = false }
            }
            log.feature("largest |z| / bound", worst)
            return accepted
        }
    }

    /// One z-test of a trial: z = (Monte Carlo mean - formula) / its standard error, and the
    /// skewness of the mean.
    struct ZTest { let z: Double; let skew: Double }

    /// The trial's z-tests: the value of the formula, and for R_lin,L also each coordinate of
    /// its gradient against the mean per-prompt gradient of the layer.
    static func zTests(_ instance: Instance, samples: Int, sabotage: Sabotage?) throws -> [ZTest] {
        let s = instance.covariance.covariance
        let d = s.dimension
        var stream = RandomStream(seed: instance.seed)
        let mu = stream.unitVector(dimension: d).scaled(by: 1.2 / (instance.lam * s.eigenvalues[0]).squareRoot())
        switch instance.formula {
        case "linear":
            let formula = try LinearAttentionRisk(covariance: s, lam: instance.lam,
                                                  promptLength: instance.length + (sabotage == .promptLengthOffByOne ? 1 : 0))
            let layer: any PromptLayer = sabotage == .linearGradientWrongTerm
                ? WrongLinearGradientLayer(lam: instance.lam)
                : try AttentionLayer(kind: sabotage == .wrongLayerKind ? .softmax : .linear, lam: instance.lam,
                                     keysIncludeQuery: sabotage != .queryOutOfKeys,
                                     linearAggregation: sabotage == .linearAveraged ? .mean : .sum)
            let draws = PromptSampling.lossesAndGradients(layer, source: GaussianPromptSource(covariance: s, promptsPerUnit: 256),
                                                          length: instance.length, mu: mu, count: samples, stream: stream.child("prompts"))
            let gradient = formula.gradient(at: mu)
            // The value, then each coordinate of the gradient (its standard error from the same draws).
            return [zAndSkew(draws.map(\.loss), expected: formula.value(at: mu), extraVariance: 0)]
                + (0..<d).map { i in zAndSkew(draws.map { $0.gradient[i] }, expected: gradient[i], extraVariance: 0) }
        case "in-context":
            let spike = stream.unitVector(dimension: d)
            let theta = s.eigenvalues[0]  // a spike strength on the scale of the instance
            let risk = try InContextRisk(spike: spike, xi: 1, theta: theta, degreesOfFreedom: instance.n, lam: instance.lam)
            let point = spike.adding(mu.normalised).normalised.scaled(by: risk.optimalSquaredNorm.squareRoot())
            var sampler = try WishartSampler(degreesOfFreedom: instance.n, scale: risk.scale.matrix)
            var draw = Matrix(rows: d, columns: d)
            var values = [Double]()
            values.reserveCapacity(samples)
            let divisor = sabotage == .wishartNormalised ? Double(instance.n) : 1
            for _ in 0..<samples {
                sampler.draw(into: &draw, using: &stream)
                let sMu = draw.multiplied(by: point).scaled(by: 1 / divisor)
                let a = point.dot(sMu), b = sMu.dot(sMu)
                values.append(draw.trace / divisor - 2 * instance.lam * b + instance.lam * instance.lam * a * b)
            }
            return [zAndSkew(values, expected: risk.value(at: point), extraVariance: 0)]
        default:
            var reductionStream = stream.child("reduction")
            let reduction = try FiniteSoftmaxReduction(promptLength: instance.length, samples: samples, stream: &reductionStream)
            let (value, error) = reduction.risk(at: mu, covariance: s, lam: instance.lam)
            let layer = try AttentionLayer(kind: .softmax, lam: instance.lam, keysIncludeQuery: sabotage != .queryOutOfKeys)
            let losses = PromptSampling.lossesAndGradients(layer, source: GaussianPromptSource(covariance: s, promptsPerUnit: 256),
                                                           length: instance.length, mu: mu, count: samples, stream: stream.child("prompts")).map(\.loss)
            return [zAndSkew(losses, expected: value, extraVariance: error * error)]
        }
    }

    /// z = (mean - expected) / sqrt(Var(mean) + extraVariance), and the skewness of the mean.
    static func zAndSkew(_ x: [Double], expected: Double, extraVariance: Double) -> ZTest {
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        var m2 = 0.0, m3 = 0.0
        for v in x { let c = v - mean; m2 += c * c; m3 += c * c * c }
        let variance = m2 / (n - 1)
        let skewOfMean = m2 > 0 ? (m3 / n) / pow(m2 / n, 1.5) / n.squareRoot() : 0
        return ZTest(z: (mean - expected) / (variance / n + extraVariance).squareRoot(), skew: skewOfMean)
    }
}

/// Claim `icl-identity` (docs/MATHEMATICS.md §3.3): R_ICL(mu) = n R_lin,n(mu) computed with S = V, exactly
/// (two evaluations of one polynomial agree to rounding).
struct InContextIdentity: PaperClaim {
    static let id = "icl-identity"

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let factor = try entry.tolerance.positive("rounding-factor")
        let scales = try entry.instances.range("point-scale", positive: true)
        let parameters = Gen.zip(try InContextConvergence.generator(entry, sabotage: nil), Gen.reals(in: scales))
        let generator = Gen.lifting(parameters: parameters) { stream, p in
            (p.0, stream.unitVector(dimension: p.0.spike.count).scaled(by: p.1 * p.0.start.norm))
        }.map { pair in IdentityInstance(instance: pair.0, point: pair.1) }
        return UniversalProperty(id, generator: generator, budget: entry.budget) { value, log in
            let i = value.instance
            let n = Double(i.n)
            let lam = sabotage == .wishartNormalised ? i.lam / n : i.lam
            let risk = try InContextRisk(spike: i.spike, xi: i.xi, theta: i.theta, degreesOfFreedom: i.n, lam: lam)
            let lhs = (sabotage == .wishartNormalised ? 1 / n : 1) * risk.value(at: value.point)
            let linear = try LinearAttentionRisk(covariance: risk.scale, lam: i.lam, promptLength: i.n + (sabotage == .promptLengthOffByOne ? 1 : 0))
            let rhs = n * linear.value(at: value.point)
            // Rounding: both sides sum terms of size at most n (trV + 2 lam (n+1) B + 2 lam trV A
            // + lam^2 (n+2) ((n+3) A B + trV A^2)), each with relative error (2d + 10) eps.
            let vMu = risk.scale.matrix.multiplied(by: value.point)
            let a = value.point.dot(vMu), b = vMu.dot(vMu), tv = risk.traceV
            let magnitude = n * (tv + 2 * i.lam * (n + 1) * b + 2 * i.lam * tv * a + i.lam * i.lam * (n + 2) * ((n + 3) * a * b + tv * a * a))
            log.feature("relative difference", abs(lhs - rhs) / magnitude)
            return Check.close(lhs, to: rhs, tolerance: factor * Double(2 * i.spike.count + 10) * Double.ulpOfOne * magnitude,
                               "R_ICL(mu) vs n R_lin,n(mu; V)")
        }
    }

    struct IdentityInstance: Sendable, CustomStringConvertible {
        let instance: InContextConvergence.Instance
        let point: [Double]
        var description: String { "\(instance); |mu| = \(String(format: "%.4g", point.norm))" }
    }
}
