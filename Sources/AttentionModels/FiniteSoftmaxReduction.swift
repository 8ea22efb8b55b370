import Foundation
import Instances
import LinearAlgebra
import Randomness

/// The exact reduction of the finite-L softmax risk to two scalar functions (docs/MATHEMATICS.md §5.1):
/// R_L(mu) = (b/a) P_L(kappa) + (T - b/a) Q_L(kappa), kappa = lam a, where with g_k iid N(0, 1)
/// and w = softmax_k(kappa g_1 g_k), P_L = E (g_1 - sum_k w_k g_k)^2 and
/// Q_L = E[(1 - w_1)^2 + sum_{k>=2} w_k^2].
///
/// P and Q are estimated by Monte Carlo over a fixed set of draws (common random numbers), so
/// differences across kappa are smooth and the estimator's standard errors are reported.
public struct FiniteSoftmaxReduction: Sendable {
    /// The prompt length L >= 2.
    public let promptLength: Int
    /// The stored draws g, `samples` rows of L.
    private let draws: [Double]
    /// Number of Monte Carlo draws of (g_1, ..., g_L).
    public let samples: Int
    /// Whether the query is among the keys (true in the paper; false only for a negative
    /// control): without it the weights run over k >= 2, w_1 = 0 and Q counts (1 - 0)^2 = 1.
    public let keysIncludeQuery: Bool

    /// Draws `samples` prompts of `promptLength` scalar Gaussians from `stream`.
    public init(promptLength: Int, samples: Int, keysIncludeQuery: Bool = true, stream: inout RandomStream) throws(ModelError) {
        guard promptLength >= 2 else { throw .invalidParameter(name: "L", value: Double(promptLength), requirement: "an integer >= 2") }
        guard samples >= 2 else { throw .invalidParameter(name: "samples", value: Double(samples), requirement: "an integer >= 2") }
        self.promptLength = promptLength
        self.samples = samples
        self.keysIncludeQuery = keysIncludeQuery
        draws = stream.normals(promptLength * samples)
    }

    /// Monte Carlo estimates of P_L(kappa) and Q_L(kappa), with their standard errors and the
    /// covariance of the two per-draw terms (needed for the error of a combination).
    public func estimate(kappa: Double) -> Estimate {
        let l = promptLength
        let first = keysIncludeQuery ? 0 : 1
        var weights = [Double](repeating: 0, count: l)
        var sumP = 0.0, sumQ = 0.0, sumPP = 0.0, sumQQ = 0.0, sumPQ = 0.0
        draws.withUnsafeBufferPointer { g in
            for s in 0..<samples {
                let row = s * l
                let g1 = g[row]
                var largest = -Double.infinity
                for k in first..<l { largest = max(largest, kappa * g1 * g[row + k]) }
                var total = 0.0
                for k in first..<l {
                    weights[k] = exp(kappa * g1 * g[row + k] - largest)
                    total += weights[k]
                }
                var mean = 0.0
                var q = keysIncludeQuery ? 0.0 : 1.0
                for k in first..<l {
                    let w = weights[k] / total
                    mean += w * g[row + k]
                    q += k == 0 ? (1 - w) * (1 - w) : w * w
                }
                let p = (g1 - mean) * (g1 - mean)
                sumP += p; sumQ += q; sumPP += p * p; sumQQ += q * q; sumPQ += p * q
            }
        }
        let m = Double(samples)
        let p = sumP / m, q = sumQ / m
        let varP = (sumPP - m * p * p) / (m - 1)
        let varQ = (sumQQ - m * q * q) / (m - 1)
        let covPQ = (sumPQ - m * p * q) / (m - 1)
        return Estimate(p: p, q: q, varianceP: varP / m, varianceQ: varQ / m, covariancePQ: covPQ / m)
    }

    /// The estimate of R_L(mu) for tokens N(0, S) and scale `lam`, with its standard error.
    public func risk(at mu: [Double], covariance: Covariance, lam: Double) -> (value: Double, standardError: Double) {
        let sMu = covariance.matrix.multiplied(by: mu)
        let a = mu.dot(sMu)
        let b = sMu.dot(sMu)
        let ratio = b / a
        let rest = covariance.trace - ratio
        let e = estimate(kappa: lam * a)
        let variance = ratio * ratio * e.varianceP + rest * rest * e.varianceQ + 2 * ratio * rest * e.covariancePQ
        return (ratio * e.p + rest * e.q, max(variance, 0).squareRoot())
    }

    /// P_L(kappa) and Q_L(kappa) with the variances of their means and their covariance.
    public struct Estimate: Sendable {
        /// Estimate of P_L(kappa).
        public let p: Double
        /// Estimate of Q_L(kappa).
        public let q: Double
        /// Variance of the estimate of P.
        public let varianceP: Double
        /// Variance of the estimate of Q.
        public let varianceQ: Double
        /// Covariance of the estimates of P and Q.
        public let covariancePQ: Double
    }
}
