import AttentionModels
import Foundation
import PropertyEngine
import Randomness
import Statistics

/// Claim `finite-prompt-softmax` (SPEC section 3, "facts to check, not assume"): through the
/// exact reduction R_L = (b/a) P_L(kappa) + (T - b/a) Q_L(kappa),
/// (a) at L = 2 the optimal scale is kappa*_2 = 2 for every S, because P_2 and Q_2 are both
///     minimised at kappa = 2 (zero derivative there, negative at 1.6, positive at 2.4);
/// (b) the finite-L minimiser lies along u_1: P_L < Q_L, so maximising b/a (mu along u_1) is optimal;
/// (c) R_L approaches R_inf slowly near the optimum: the gap term P_L(1) decays like L^-0.6
///     (with log factors), measurably slower than 1/L.
/// Each trial is an independent Monte Carlo replicate, tested at the levels the catalogue states.
struct FinitePromptSoftmax: PaperClaim {
    static let id = "finite-prompt-softmax"

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let batches = try entry.method.integer("batches", atLeast: 3)
        let perBatch = try entry.method.integer("samples-per-batch", atLeast: 100)
        let delta = try entry.method.positive("kappa-step")
        let lengths = try entry.method.numbers("rate-lengths").map { Int($0) }
        let rateSamples = try entry.method.integer("rate-samples", atLeast: 1000)
        let alpha = try entry.tolerance.positive("per-test-alpha")
        let band = try entry.tolerance.range("exponent-range")
        let includeQuery = sabotage != .queryOutOfKeys
        let generator = Gen.lifting(parameters: Gen.constant(())) { stream, _ in stream.next() }.map { SeedInstance(seed: $0) }
        return UniversalProperty(id, generator: generator, budget: entry.budget) { instance, log in
            let root = RandomStream(seed: instance.seed)
            // (a) Derivatives at kappa by common-random-number central differences, one per
            // independent batch; a t-test over the batches.
            func derivatives(at kappa: Double) throws -> (p: [Double], q: [Double]) {
                var p = [Double](), q = [Double]()
                for b in 0..<batches {
                    var stream = root.child("kappa").child(b)
                    let reduction = try FiniteSoftmaxReduction(promptLength: 2, samples: perBatch, keysIncludeQuery: includeQuery, stream: &stream)
                    let up = reduction.estimate(kappa: kappa + delta), down = reduction.estimate(kappa: kappa - delta)
                    p.append((up.p - down.p) / (2 * delta))
                    q.append((up.q - down.q) / (2 * delta))
                }
                return (p, q)
            }
            func t(_ x: [Double]) -> Double {
                let n = Double(x.count)
                let mean = x.reduce(0, +) / n
                let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
                return variance > 0 ? mean / (variance / n).squareRoot() : (mean == 0 ? 0 : .infinity * mean)
            }
            let critical = try StudentT(degreesOfFreedom: Double(batches - 1)).quantile(1 - alpha / 2)
            let atTwo = try derivatives(at: 2), below = try derivatives(at: 1.6), above = try derivatives(at: 2.4)
            var checks = [
                Check.atMost(abs(t(atTwo.p)), critical, "|t| of P_2'(2) (zero derivative)"),
                Check.atMost(abs(t(atTwo.q)), critical, "|t| of Q_2'(2) (zero derivative)"),
                Check.atMost(t(below.p), -critical, "t of P_2'(1.6) (decreasing before 2)"),
                Check.atMost(t(below.q), -critical, "t of Q_2'(1.6) (decreasing before 2)"),
                Check.atLeast(t(above.p), critical, "t of P_2'(2.4) (increasing after 2)"),
                Check.atLeast(t(above.q), critical, "t of Q_2'(2.4) (increasing after 2)"),
            ]
            // (b) and (c): P_L(1) and Q_L(1) at the rate lengths, independent draws per L.
            let z = try Normal.upperQuantile(alpha / 2)
            var estimates = [FiniteSoftmaxReduction.Estimate]()
            for (k, length) in lengths.enumerated() {
                var stream = root.child("rate").child(k)
                let reduction = try FiniteSoftmaxReduction(promptLength: length, samples: max(rateSamples / length, 100),
                                                           keysIncludeQuery: includeQuery, stream: &stream)
                let e = reduction.estimate(kappa: 1)
                estimates.append(e)
                checks.append(Check.atLeast(e.q - e.p, z * (e.varianceP + e.varianceQ - 2 * e.covariancePQ).squareRoot(),
                                            "Q_\(length)(1) - P_\(length)(1) (positive: the minimiser is along u_1)"))
            }
            let first = estimates.first!, last = estimates.last!
            let ratio = Double(lengths.last!) / Double(lengths.first!)
            let exponent = Foundation.log(last.p / first.p) / Foundation.log(ratio)
            let exponentError = (last.varianceP / (last.p * last.p) + first.varianceP / (first.p * first.p)).squareRoot() / Foundation.log(ratio)
            log.feature("exponent of P_L(1)", exponent)
            checks.append(Check.atLeast(exponent + z * exponentError, band.lowerBound, "exponent of P_L(1) (upper end of its interval)"))
            checks.append(Check.atMost(exponent - z * exponentError, band.upperBound, "exponent of P_L(1) (lower end of its interval)"))
            checks.append(Check.atLeast(last.p - first.p / ratio, z * (last.varianceP + first.varianceP / (ratio * ratio)).squareRoot(),
                                        "P_Lmax(1) - P_Lmin(1) Lmin/Lmax (positive: slower than 1/L)"))
            return Check.all(checks)
        }
    }

    struct SeedInstance: Sendable, CustomStringConvertible {
        let seed: UInt64
        var description: String { "Monte Carlo replicate with seed \(seed)" }
    }
}
