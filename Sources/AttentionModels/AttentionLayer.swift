import Foundation

/// The one-parameter attention layer of SPEC section 2: the query is the first token x_1, the
/// keys and values are the prompt's tokens, alpha = <mu, x_1>, beta_k = <mu, x_k>.
///
/// - softmax: T(X) = sum_k softmax_k(lam alpha beta_k) x_k;
/// - linear:  T(X) = lam alpha sum_k beta_k x_k (a plain sum over the L tokens).
///
/// Two variants exist only so the harness can show that its checks reject a wrong model: keys
/// that leave out the query, and linear attention averaged instead of summed. The paper's layer
/// is the default.
public struct AttentionLayer: Sendable, Equatable {
    /// Which attention.
    public enum Kind: String, Sendable, Codable, CaseIterable { case softmax, linear }

    /// How the linear layer aggregates: the paper's plain sum, or a mean (a wrong variant).
    public enum LinearAggregation: String, Sendable, Codable { case sum, mean }

    /// Softmax or linear.
    public let kind: Kind
    /// The scale lam > 0.
    public let lam: Double
    /// Whether the query token is among the keys (true in the paper).
    public let keysIncludeQuery: Bool
    /// Sum (the paper) or mean, for linear attention.
    public let linearAggregation: LinearAggregation

    /// The layer of the paper, or one of its deliberately wrong variants.
    public init(kind: Kind, lam: Double, keysIncludeQuery: Bool = true, linearAggregation: LinearAggregation = .sum) throws(ModelError) {
        guard lam.isFinite, lam > 0 else { throw .invalidParameter(name: "lam", value: lam, requirement: "a finite number > 0") }
        self.kind = kind
        self.lam = lam
        self.keysIncludeQuery = keysIncludeQuery
        self.linearAggregation = linearAggregation
    }

    /// Scratch doubles `lossAndGradient` needs for prompts of `length` tokens in `dimension`.
    public static func scratchCount(length: Int, dimension: Int) -> Int { 2 * length + 2 * dimension }

    /// The layer's output T(X) for one prompt (row-major L x d).
    public func output(prompt: [Double], dimension d: Int, mu: [Double]) -> [Double] {
        let length = prompt.count / d
        var out = [Double](repeating: 0, count: d)
        var scratch = [Double](repeating: 0, count: Self.scratchCount(length: length, dimension: d))
        var gradient = [Double](repeating: 0, count: d)
        prompt.withUnsafeBufferPointer { x in
            mu.withUnsafeBufferPointer { m in
                scratch.withUnsafeMutableBufferPointer { s in
                    gradient.withUnsafeMutableBufferPointer { g in
                        _ = promptLoss(x.baseAddress!, length: length, dimension: d, mu: m.baseAddress!,
                                       gradient: g.baseAddress!, scratch: s.baseAddress!, wantsGradient: false)
                        for j in 0..<d { out[j] = s[2 * length + j] }
                    }
                }
            }
        }
        return out
    }

    /// The summed loss ||x_1 - T(X)||^2 over `count` prompts of `length` tokens; the sum of
    /// their exact gradients in mu is added to `gradient` (the caller zeroes it and divides).
    ///
    /// Analytic gradient (derived for this project):
    /// - softmax: with r = x_1 - T, g_k = -2 w_k <r, x_k - T>,
    ///   grad = lam [ (sum_k g_k beta_k) x_1 + alpha sum_k g_k x_k ];
    /// - linear: with y = sum_k beta_k x_k and c = lam (or lam / |keys| for the mean),
    ///   grad = -2 c [ <r, y> x_1 + alpha sum_k <r, x_k> x_k ].
    /// Returns the sum of the losses; `scratch` has `scratchCount(length:dimension:)` doubles.
    public func lossAndGradient(
        prompts: UnsafePointer<Double>, count: Int, length: Int, dimension d: Int,
        mu: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>
    ) -> Double {
        var total = 0.0
        for p in 0..<count {
            total += promptLoss(prompts + p * length * d, length: length, dimension: d, mu: mu,
                                gradient: gradient, scratch: scratch, wantsGradient: true)
        }
        return total
    }

    /// One prompt: returns its loss, adds its gradient to `gradient`, leaves T(X) in
    /// scratch[2L ..< 2L + d].
    @inline(__always)
    private func promptLoss(
        _ x: UnsafePointer<Double>, length: Int, dimension d: Int, mu: UnsafePointer<Double>,
        gradient: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>, wantsGradient: Bool
    ) -> Double {
        let beta = scratch
        let weight = scratch + length
        let t = scratch + 2 * length
        let r = t + d
        let first = keysIncludeQuery ? 0 : 1
        for k in 0..<length {
            var s = 0.0
            for j in 0..<d { s += x[k * d + j] * mu[j] }
            beta[k] = s
        }
        let alpha = beta[0]
        for j in 0..<d { t[j] = 0 }
        switch kind {
        case .softmax:
            var largest = -Double.infinity
            for k in first..<length { largest = max(largest, lam * alpha * beta[k]) }
            var total = 0.0
            for k in first..<length {
                let w = exp(lam * alpha * beta[k] - largest)
                weight[k] = w
                total += w
            }
            let inverse = 1 / total
            for k in first..<length {
                weight[k] *= inverse
                for j in 0..<d { t[j] += weight[k] * x[k * d + j] }
            }
            var loss = 0.0
            for j in 0..<d { r[j] = x[j] - t[j]; loss += r[j] * r[j] }
            guard wantsGradient else { return loss }
            var rt = 0.0
            for j in 0..<d { rt += r[j] * t[j] }
            var gBeta = 0.0
            // Reuse `weight` to hold g_k * alpha for the second sum.
            for k in first..<length {
                var rx = 0.0
                for j in 0..<d { rx += r[j] * x[k * d + j] }
                let g = -2 * weight[k] * (rx - rt)
                gBeta += g * beta[k]
                weight[k] = g * alpha
            }
            for j in 0..<d { gradient[j] += lam * gBeta * x[j] }
            for k in first..<length {
                let c = lam * weight[k]
                for j in 0..<d { gradient[j] += c * x[k * d + j] }
            }
            return loss
        case .linear:
            let keys = length - first
            let c = linearAggregation == .sum ? lam : lam / Double(keys)
            for k in first..<length { for j in 0..<d { t[j] += beta[k] * x[k * d + j] } }  // y
            var ry = 0.0
            var loss = 0.0
            for j in 0..<d {
                let y = t[j]
                t[j] = c * alpha * y
                r[j] = x[j] - t[j]
                loss += r[j] * r[j]
                ry += r[j] * y
            }
            guard wantsGradient else { return loss }
            for j in 0..<d { gradient[j] += -2 * c * ry * x[j] }
            for k in first..<length {
                var rx = 0.0
                for j in 0..<d { rx += r[j] * x[k * d + j] }
                let coefficient = -2 * c * alpha * rx
                for j in 0..<d { gradient[j] += coefficient * x[k * d + j] }
            }
            return loss
        }
    }
}
