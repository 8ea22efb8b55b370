import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness
import Statistics

/// Claim `finite-prompt-softmax` (docs/MATHEMATICS.md §5.1-§5.4, facts checked rather than assumed), checked on the
/// production softmax layer: per trial a covariance S and a scale lam are drawn, the layer's
/// losses and gradients on Gaussian prompts from N(0, S) (the C kernel, through the unit call SGD
/// makes) are evaluated along u_1 and u_d at lam a = kappa, and the exact reduction
/// R_L = (b/a) P_L(kappa) + (T - b/a) Q_L(kappa) separates them into P_L, Q_L and their
/// kappa-derivatives (`EigenPairProbe`). Then
/// (a) at L = 2 the optimal scale is kappa*_2 = 2 for every S, because P_2 and Q_2 are both
///     minimised at kappa = 2 (zero derivative there, negative at 1.6, positive at 2.4);
/// (b) the finite-L minimiser lies along u_1: P_L < Q_L, so maximising b/a (mu along u_1) is optimal;
/// (c) R_L approaches R_inf slowly near the optimum: the gap term P_L(1) decays like L^-0.6
///     (with log factors), measurably slower than 1/L;
/// and the kernel's P_L(1) agrees with the independent scalar reference `FiniteSoftmaxReduction`.
/// Every test is a Student t test over independent batches at the catalogue's per-test level.
struct FinitePromptSoftmax: PaperClaim {
    static let id = "finite-prompt-softmax"

    /// One trial: a covariance with a strict gap s_1 > s_d, a scale lam and a seed.
    struct Instance: Sendable, CustomStringConvertible {
        let covariance: CovarianceInstance
        let lam: Double
        let seed: UInt64
        var description: String { "\(covariance); lam = \(String(format: "%.4g", lam)); seed \(seed)" }
    }

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let batches = try entry.method.integer("batches", atLeast: 8)
        let slopePrompts = try entry.method.integer("slope-prompts-per-batch", atLeast: 100)
        let lengths = try entry.method.numbers("rate-lengths").map { Int($0) }
        let rateTokens = try entry.method.integer("rate-tokens-per-batch", atLeast: 1000)
        let referenceSamples = try entry.method.integer("reference-samples", atLeast: 1000)
        let alpha = try entry.tolerance.positive("per-test-alpha")
        let band = try entry.tolerance.range("exponent-range")
        let lams = try entry.instances.range("lam", positive: true)
        _ = try entry.instances.dimensionRange(atLeast: 2)  // two eigen-directions are needed
        let parameters = Gen.zip(try InstanceSpace.covariances(entry.instances, sabotage: sabotage), Gen.logUniform(in: lams).observed(as: "lam"))
        let generator = Gen.lifting(parameters: parameters) { stream, p in
            Instance(covariance: p.0, lam: p.1, seed: stream.next())
        }
        // Every test, one- or two-sided, uses the two-sided critical value of Student's t with
        // batches - 1 degrees of freedom at the per-test alpha (for a difference of two independent
        // batch means, Welch's degrees of freedom are at least batches - 1, so this is conservative).
        let critical = try StudentT(degreesOfFreedom: Double(batches - 1)).quantile(1 - alpha / 2)
        return UniversalProperty(id, generator: generator, budget: entry.budget) { instance, log in
            let s = instance.covariance.covariance
            let d = s.dimension
            // What is evaluated: the layer that trains, or the wrong model with the query left out
            // of the keys (the layer's own option; production code is not touched).
            let layer = try AttentionLayer(kind: .softmax, lam: instance.lam, keysIncludeQuery: sabotage != .queryOutOfKeys)
            let probe = try EigenPairProbe(layer: layer, covariance: s, other: d - 1)
            let root = RandomStream(seed: instance.seed)
            func batchMeans(kappa: Double, length: Int, count: Int, stream: RandomStream) -> [EigenPairProbe.Separated] {
                (0..<batches).map { b in
                    var batchStream = stream.child(b)
                    return probe.batch(kappa: kappa, length: length, count: count, stream: &batchStream)
                }
            }
            // (a) P_2' and Q_2' at 1.6, 2 and 2.4: t over the batches.
            var checks = [Check]()
            for (k, kappa) in [2.0, 1.6, 2.4].enumerated() {
                let separated = batchMeans(kappa: kappa, length: 2, count: slopePrompts, stream: root.child("slope").child(k))
                let tp = BatchMean(separated.map(\.pSlope)).t, tq = BatchMean(separated.map(\.qSlope)).t
                let at = String(format: "%.1f", kappa)
                log.feature("t of P_2'(\(at))", tp)
                log.feature("t of Q_2'(\(at))", tq)
                switch kappa {
                case 2:
                    checks.append(Check.atMost(abs(tp), critical, "|t| of P_2'(2) (zero derivative)"))
                    checks.append(Check.atMost(abs(tq), critical, "|t| of Q_2'(2) (zero derivative)"))
                case ..<2:
                    checks.append(Check.atMost(tp, -critical, "t of P_2'(\(at)) (decreasing before 2)"))
                    checks.append(Check.atMost(tq, -critical, "t of Q_2'(\(at)) (decreasing before 2)"))
                default:
                    checks.append(Check.atLeast(tp, critical, "t of P_2'(\(at)) (increasing after 2)"))
                    checks.append(Check.atLeast(tq, critical, "t of Q_2'(\(at)) (increasing after 2)"))
                }
            }
            // (b) Q_L(1) - P_L(1) > 0 at every rate length, and the P_L(1) of (c).
            var rates = [BatchMean]()
            for (k, length) in lengths.enumerated() {
                let separated = batchMeans(kappa: 1, length: length, count: max(rateTokens / length, 2), stream: root.child("rate").child(k))
                let gap = BatchMean(separated.map { $0.q - $0.p })
                log.feature("t of Q_\(length)(1) - P_\(length)(1)", gap.t)
                checks.append(Check.atLeast(gap.t, critical, "t of Q_\(length)(1) - P_\(length)(1) (positive: the minimiser is along u_1)"))
                rates.append(BatchMean(separated.map(\.p)))
            }
            // (c) The exponent of P_L(1) between the first and last length (delta method), and
            // P_Lmax(1) against the 1/L prediction P_Lmin(1) Lmin / Lmax.
            let first = rates.first!, last = rates.last!
            let ratio = Double(lengths.last!) / Double(lengths.first!)
            let exponent = Foundation.log(last.mean / first.mean) / Foundation.log(ratio)
            let exponentError = (last.variance / (last.mean * last.mean) + first.variance / (first.mean * first.mean)).squareRoot() / Foundation.log(ratio)
            log.feature("exponent of P_L(1)", exponent)
            checks.append(Check.atLeast(exponent + critical * exponentError, band.lowerBound, "exponent of P_L(1) (upper end of its interval)"))
            checks.append(Check.atMost(exponent - critical * exponentError, band.upperBound, "exponent of P_L(1) (lower end of its interval)"))
            let slower = (last.mean - first.mean / ratio) / (last.variance + first.variance / (ratio * ratio)).squareRoot()
            log.feature("t of P_Lmax(1) - P_Lmin(1) Lmin/Lmax", slower)
            checks.append(Check.atLeast(slower, critical, "t of P_Lmax(1) - P_Lmin(1) Lmin/Lmax (positive: slower than 1/L)"))
            // The independent scalar reference (the paper's model, query among the keys) against
            // the kernel's P_Lmin(1): it is compared with the kernel, never used in its place.
            var referenceStream = root.child("reference")
            let reference = try FiniteSoftmaxReduction(promptLength: lengths.first!, samples: referenceSamples, stream: &referenceStream)
                .estimate(kappa: 1)
            let agreement = (first.mean - reference.p) / (first.variance + reference.varianceP).squareRoot()
            log.feature("t of kernel - reference P_Lmin(1)", agreement)
            checks.append(Check.atMost(abs(agreement), critical, "|t| of kernel - reference P_\(lengths.first!)(1)"))
            return Check.all(checks)
        }
    }

    /// The mean of independent batch means, the variance of that mean, and its t statistic.
    struct BatchMean {
        let mean: Double
        let variance: Double

        init(_ x: [Double]) {
            let n = Double(x.count)
            let average = x.reduce(0, +) / n
            mean = average
            variance = x.reduce(0) { $0 + ($1 - average) * ($1 - average) } / (n - 1) / n
        }

        /// mean / standard error; 0 when every batch is exactly 0 (a constant loss, e.g. one key).
        var t: Double { variance > 0 ? mean / variance.squareRoot() : (mean == 0 ? 0 : .infinity * mean) }
    }
}
