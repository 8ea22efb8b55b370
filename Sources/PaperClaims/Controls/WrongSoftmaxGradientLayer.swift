import AttentionModels
import Foundation
import Instances

/// The paper's softmax layer with one wrong term in its per-prompt gradient (the
/// `softmax-gradient-wrong-term` negative control): the loss is right, the gradient is not.
///
/// The exact gradient of ||x_1 - T||^2, T = sum_k w_k x_k, w = softmax_k(lam alpha beta_k):
/// dw_k = w_k (ds_k - sum_j w_j ds_j) with s_k = lam alpha beta_k, so
/// d loss = -2 <r, dT> = sum_k h_k ds_k with r = x_1 - T and h_k = -2 w_k (<r, x_k> - <r, T>),
/// and ds_k = lam (<dmu, x_1> beta_k + alpha <dmu, x_k>) gives
/// grad = lam [ (sum_k h_k beta_k) x_1 + alpha sum_k h_k x_k ]
/// (AttentionLayer.swift and the C kernel compute exactly this). This layer flips the sign of
/// the softmax normaliser's term, h_k = -2 w_k (<r, x_k> + <r, T>): a one-character slip in
/// the kernel's `h[k] - qt`. The update stays equivariant under the reflections that fix u_1
/// (or v), so +-u_1 stays a fixed direction of SGD and a check of the direction alone passes;
/// where along it SGD settles moves.
///
/// Written in plain Swift on formed tokens (x = F g, one prompt at a time), independently of the
/// C kernel; it is slow but only ever trains negative controls. The same layer serves the
/// in-context path, whose prompts are factored the same way (x = Z^T g).
struct WrongSoftmaxGradientLayer: PromptLayer {
    /// The scale lam > 0.
    let lam: Double

    /// The query is among the keys, as in the paper.
    var keysIncludeQuery: Bool { true }

    /// Tokens (L d), scores/weights, beta and h (3 L), T, r (2 d).
    func scratchCount(length: Int, dimension: Int) -> Int { length * (dimension + 3) + 2 * dimension }

    /// The summed loss, exact, and the summed gradient with the flipped term.
    func lossAndGradient(_ unit: FactoredPrompts, mu: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
                         scratch: UnsafeMutablePointer<Double>, instructionSet: InstructionSet) -> Double {
        let d = unit.dimension, l = unit.length
        let x = scratch, beta = x + l * d, weight = beta + l, h = weight + l, t = h + l, r = t + d
        var total = 0.0
        for p in 0..<unit.count {
            FormedTokens.form(unit, prompt: p, mu: mu, tokens: x, projections: beta)
            let alpha = beta[0]
            var largest = -Double.infinity
            for k in 0..<l { largest = max(largest, lam * alpha * beta[k]) }
            var normaliser = 0.0
            for k in 0..<l {
                weight[k] = exp(lam * alpha * beta[k] - largest)
                normaliser += weight[k]
            }
            for k in 0..<l { weight[k] /= normaliser }
            var loss = 0.0, rT = 0.0
            for i in 0..<d {
                var ti = 0.0
                for k in 0..<l { ti += weight[k] * x[k * d + i] }
                t[i] = ti
                r[i] = x[i] - ti
                loss += r[i] * r[i]
                rT += r[i] * ti
            }
            total += loss
            var hBeta = 0.0
            for k in 0..<l {
                var rx = 0.0
                for i in 0..<d { rx += r[i] * x[k * d + i] }
                h[k] = -2 * weight[k] * (rx + rT)  // the wrong term: the exact gradient has rx - rT
                hBeta += h[k] * beta[k]
            }
            for i in 0..<d {
                var hx = 0.0
                for k in 0..<l { hx += h[k] * x[k * d + i] }
                gradient[i] += lam * (hBeta * x[i] + alpha * hx)
            }
        }
        return total
    }
}
