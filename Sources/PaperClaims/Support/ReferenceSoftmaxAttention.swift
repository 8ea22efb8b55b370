import Foundation
import Instances

/// An independent, plain-loop Swift implementation of the softmax layer's per-prompt loss and
/// gradient (docs/MATHEMATICS.md §2.3, derived again here), used only to check the production C kernel
/// at the numerically extreme corner of the model. Alongside each value it computes the same
/// expression with every term replaced by its absolute value (`magnitude`), from which the
/// rounding tolerance of the comparison is derived (`SoftmaxSaturation`).
///
/// With alpha = <mu, x_1>, beta_k = <mu, x_k>, scores s_k = lam alpha beta_k and weights
/// w = softmax(s): T = sum_k w_k x_k, r = x_1 - T, loss = |r|^2; dT/ds_k = w_k (x_k - T), so
/// dloss/ds_k = g_k = -2 w_k <r, x_k - T>, and ds_k/dmu = lam (beta_k x_1 + alpha x_k), giving
/// grad = lam [ (sum_k g_k beta_k) x_1 + alpha sum_k g_k x_k ].
struct ReferenceSoftmaxAttention {
    /// The layer's scale lam.
    let lam: Double
    /// Whether the largest score is subtracted before exp (true: the correct, stable softmax;
    /// false only for the deliberately wrong model `NaiveSoftmax`).
    var subtractsMaximum = true

    /// One prompt's values and their absolute-value magnitudes.
    struct Evaluation {
        /// The loss |x_1 - T|^2.
        var loss: Double
        /// The gradient in mu.
        var gradient: [Double]
        /// The loss with every term by its absolute value.
        var lossMagnitude: Double
        /// The gradient with every term by its absolute value.
        var gradientMagnitude: [Double]
        /// The relative error bound of the weights: 2 max_k |error of s_k| + rounding of the sum.
        var weightError: Double
        /// The largest |s_k|.
        var largestScore: Double
    }

    /// Prompt `p` of `unit`, with tokens formed here as x = F g by plain loops.
    func evaluate(_ unit: FactoredPrompts, prompt p: Int, mu: [Double]) -> Evaluation {
        let d = unit.dimension, m = unit.latentDimension, length = unit.length
        let eps = Double.ulpOfOne / 2
        func gamma(_ n: Int) -> Double { Double(n) * eps / (1 - Double(n) * eps) }
        // Tokens and their absolute versions |F| |g| (which bound every rounding of x and of
        // the kernel's factored arithmetic, which multiplies the same F and g entries).
        var x = [[Double]](repeating: [Double](repeating: 0, count: d), count: length)
        var xAbs = x
        for k in 0..<length {
            for i in 0..<d {
                var value = 0.0, magnitude = 0.0
                for a in 0..<m {
                    let term = unit.factor[i * m + a] * unit.normals[a * unit.coordinateStride + p * length + k]
                    value += term
                    magnitude += abs(term)
                }
                x[k][i] = value
                xAbs[k][i] = magnitude
            }
        }
        let beta = x.map { token in zip(mu, token).reduce(0) { $0 + $1.0 * $1.1 } }
        let betaAbs = xAbs.map { token in zip(mu, token).reduce(0) { $0 + abs($1.0) * $1.1 } }
        let alpha = beta[0], alphaAbs = betaAbs[0]
        let scores = beta.map { lam * alpha * $0 }
        let largestScore = scores.map(abs).max() ?? 0
        // Each score is a product of two inner products of 2d-term sums (tokens, then mu), so its
        // error is at most gamma(4d + 2) lam |alpha|_abs |beta_k|_abs; a difference s_k - max
        // doubles it; exp and the normalising sum over L add gamma(L + 2).
        let scoreError = (0..<length).map { gamma(4 * d + 2) * lam * alphaAbs * betaAbs[$0] }.max() ?? 0
        let weightError = 2 * scoreError + gamma(length + 2)
        let shift = subtractsMaximum ? (scores.max() ?? 0) : 0
        let exponentials = scores.map { exp($0 - shift) }
        let total = exponentials.reduce(0, +)
        let w = exponentials.map { $0 / total }
        var t = [Double](repeating: 0, count: d), tAbs = t
        for k in 0..<length {
            for i in 0..<d {
                t[i] += w[k] * x[k][i]
                tAbs[i] += w[k] * xAbs[k][i]
            }
        }
        let r = (0..<d).map { x[0][$0] - t[$0] }
        let rAbs = (0..<d).map { xAbs[0][$0] + tAbs[$0] }
        let loss = r.reduce(0) { $0 + $1 * $1 }
        let lossMagnitude = rAbs.reduce(0) { $0 + $1 * $1 }
        var g = [Double](repeating: 0, count: length), gAbs = g
        for k in 0..<length {
            var inner = 0.0, innerAbs = 0.0
            for i in 0..<d {
                inner += r[i] * (x[k][i] - t[i])
                innerAbs += rAbs[i] * (xAbs[k][i] + tAbs[i])
            }
            g[k] = -2 * w[k] * inner
            gAbs[k] = 2 * w[k] * innerAbs
        }
        let gBeta = zip(g, beta).reduce(0) { $0 + $1.0 * $1.1 }
        let gBetaAbs = zip(gAbs, betaAbs).reduce(0) { $0 + $1.0 * $1.1 }
        var gradient = [Double](repeating: 0, count: d), gradientMagnitude = gradient
        for i in 0..<d {
            var sum = 0.0, sumAbs = 0.0
            for k in 0..<length {
                sum += g[k] * x[k][i]
                sumAbs += gAbs[k] * xAbs[k][i]
            }
            gradient[i] = lam * (gBeta * x[0][i] + alpha * sum)
            gradientMagnitude[i] = lam * (gBetaAbs * xAbs[0][i] + alphaAbs * sumAbs)
        }
        return Evaluation(loss: loss, gradient: gradient, lossMagnitude: lossMagnitude, gradientMagnitude: gradientMagnitude,
                          weightError: weightError, largestScore: largestScore)
    }
}
