import Foundation
import LinearAlgebra

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
    public static func scratchCount(length: Int, dimension: Int) -> Int { 3 * length + 2 * dimension }

    /// The layer's output T(X) for one prompt, given row-major (L x d, token by token).
    public func output(prompt: [Double], dimension d: Int, mu: [Double]) -> [Double] {
        let length = prompt.count / d
        var columns = [Double](repeating: 0, count: prompt.count)
        for k in 0..<length { for j in 0..<d { columns[j * length + k] = prompt[k * d + j] } }
        var scratch = [Double](repeating: 0, count: Self.scratchCount(length: length, dimension: d))
        var gradient = [Double](repeating: 0, count: d)
        columns.withUnsafeBufferPointer { x in
            mu.withUnsafeBufferPointer { m in
                scratch.withUnsafeMutableBufferPointer { s in
                    gradient.withUnsafeMutableBufferPointer { g in
                        _ = promptLoss(x.baseAddress!, stride: length, length: length, dimension: d, mu: m.baseAddress!,
                                       gradient: g.baseAddress!, scratch: s.baseAddress!, wantsGradient: false)
                    }
                }
            }
        }
        return Array(scratch[(3 * length)..<(3 * length + d)])
    }

    /// The summed loss ||x_1 - T(X)||^2 over `count` prompts of `length` tokens; the sum of
    /// their exact gradients in mu is added to `gradient` (the caller zeroes it and divides).
    ///
    /// Layout (coordinate-major, so every inner loop runs over contiguous tokens and
    /// vectorises): coordinate j of token k of prompt p is at
    /// `prompts[j * coordinateStride + p * length + k]`; `coordinateStride` defaults to
    /// `count * length`, the layout `PromptSource.fillUnit` writes.
    ///
    /// Analytic gradient (derived for this project):
    /// - softmax: with r = x_1 - T, g_k = -2 w_k <r, x_k - T>,
    ///   grad = lam [ (sum_k g_k beta_k) x_1 + alpha sum_k g_k x_k ];
    /// - linear: with y = sum_k beta_k x_k and c = lam (or lam / |keys| for the mean),
    ///   grad = -2 c [ <r, y> x_1 + alpha sum_k <r, x_k> x_k ].
    /// `scratch` has `scratchCount(length:dimension:)` doubles.
    public func lossAndGradient(
        prompts: UnsafePointer<Double>, count: Int, length: Int, dimension d: Int, coordinateStride: Int? = nil,
        mu: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>
    ) -> Double {
        let stride = coordinateStride ?? count * length
        var total = 0.0
        for p in 0..<count {
            total += promptLoss(prompts + p * length, stride: stride, length: length, dimension: d, mu: mu,
                                gradient: gradient, scratch: scratch, wantsGradient: true)
        }
        return total
    }

    /// One prompt (coordinate j of token k at x[j * stride + k]): returns its loss, adds its
    /// gradient to `gradient`, leaves T(X) in scratch[3L ..< 3L + d].
    @inline(__always)
    private func promptLoss(
        _ x: UnsafePointer<Double>, stride: Int, length: Int, dimension d: Int, mu: UnsafePointer<Double>,
        gradient: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>, wantsGradient: Bool
    ) -> Double {
        let beta = scratch
        let weight = scratch + length
        let rx = scratch + 2 * length
        let t = scratch + 3 * length
        let r = t + d
        let first = keysIncludeQuery ? 0 : 1
        // beta = X mu, one contiguous pass per coordinate.
        for k in 0..<length { beta[k] = 0 }
        for j in 0..<d {
            let column = x + j * stride
            let m = mu[j]
            for k in 0..<length { beta[k] += m * column[k] }
        }
        let alpha = beta[0]
        switch kind {
        case .softmax:
            let scale = lam * alpha
            let keys = length - first
            let (low, high) = VectorKernels.range(beta + first, count: keys)
            let largest = scale >= 0 ? scale * high : scale * low
            if first == 1 { weight[0] = 0 }
            for k in first..<length { weight[k] = scale * beta[k] - largest }
            VectorKernels.expOfNonPositive(weight + first, count: keys)
            let inverse = 1 / VectorKernels.sum(weight + first, count: keys)
            for k in first..<length { weight[k] *= inverse }
            var loss = 0.0
            for j in 0..<d {
                let column = x + j * stride
                let sum = VectorKernels.dot(weight, column, count: length)
                t[j] = sum
                r[j] = column[0] - sum
                loss += r[j] * r[j]
            }
            guard wantsGradient else { return loss }
            var rt = 0.0
            for j in 0..<d { rt += r[j] * t[j] }
            // rx = X r, then g_k = -2 w_k (rx_k - <r, T>) in place of rx.
            for k in 0..<length { rx[k] = 0 }
            for j in 0..<d {
                let column = x + j * stride
                let rj = r[j]
                for k in 0..<length { rx[k] += rj * column[k] }
            }
            for k in 0..<length { rx[k] = -2 * weight[k] * (rx[k] - rt) }
            let gBeta = VectorKernels.dot(rx, beta, count: length)
            for j in 0..<d {
                let column = x + j * stride
                gradient[j] += lam * (gBeta * column[0] + alpha * VectorKernels.dot(rx, column, count: length))
            }
            return loss
        case .linear:
            let keys = length - first
            let c = linearAggregation == .sum ? lam : lam / Double(keys)
            if first == 1 { beta[0] = 0 }  // the query is not a key; alpha is kept above
            var ry = 0.0
            var loss = 0.0
            for j in 0..<d {
                let column = x + j * stride
                let y = VectorKernels.dot(beta, column, count: length)
                t[j] = c * alpha * y
                r[j] = column[0] - t[j]
                loss += r[j] * r[j]
                ry += r[j] * y
            }
            guard wantsGradient else { return loss }
            for k in 0..<length { rx[k] = 0 }
            for j in 0..<d {
                let column = x + j * stride
                let rj = r[j]
                for k in 0..<length { rx[k] += rj * column[k] }
            }
            if first == 1 { rx[0] = 0 }
            for j in 0..<d {
                let column = x + j * stride
                gradient[j] += -2 * c * (ry * column[0] + alpha * VectorKernels.dot(rx, column, count: length))
            }
            return loss
        }
    }
}
