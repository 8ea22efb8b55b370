import AttentionModels
import Foundation
import Instances

/// The paper's linear-attention layer with one wrong term in its per-prompt gradient (the
/// `linear-gradient-wrong-term` negative control): the loss is right, the gradient is not.
///
/// With beta_k = <mu, x_k>, alpha = beta_1, y = sum_k beta_k x_k, T = lam alpha y and
/// r = x_1 - T, the loss ||r||^2 has dT = lam (<dmu, x_1> y + alpha sum_k <dmu, x_k> x_k), so
/// grad = -2 lam [ <r, y> x_1 + alpha sum_k <r, x_k> x_k ]
/// (docs/MATHEMATICS.md §2.3; the C kernel computes exactly this). This layer flips the sign of
/// the second term, a one-character slip. Both terms vanish in expectation at the minimiser
/// +-sqrt(s_1*) u_1, so it stays a fixed point of SGD and only the noise around it changes;
/// away from it the mean gradient is wrong, which the Monte Carlo gradient check of
/// `formulas-monte-carlo` sees. Written in plain Swift on formed tokens, independently of the
/// C kernel; it only ever trains negative controls.
struct WrongLinearGradientLayer: PromptLayer {
    /// The scale lam > 0.
    let lam: Double

    /// The query is among the keys, as in the paper.
    var keysIncludeQuery: Bool { true }

    /// Tokens (L d), beta (L) and r (d).
    func scratchCount(length: Int, dimension: Int) -> Int { length * (dimension + 1) + dimension }

    /// The summed loss, exact, and the summed gradient with the flipped term.
    func lossAndGradient(_ unit: FactoredPrompts, mu: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
                         scratch: UnsafeMutablePointer<Double>, instructionSet: InstructionSet) -> Double {
        let d = unit.dimension, l = unit.length
        let x = scratch, beta = x + l * d, r = beta + l
        var total = 0.0
        for p in 0..<unit.count {
            FormedTokens.form(unit, prompt: p, mu: mu, tokens: x, projections: beta)
            let alpha = beta[0]
            var loss = 0.0, ry = 0.0
            for i in 0..<d {
                var yi = 0.0  // y_i = sum_k beta_k x_k,i
                for k in 0..<l { yi += beta[k] * x[k * d + i] }
                r[i] = x[i] - lam * alpha * yi
                loss += r[i] * r[i]
                ry += r[i] * yi
            }
            total += loss
            for i in 0..<d { gradient[i] += -2 * lam * ry * x[i] }
            for k in 0..<l {
                var rx = 0.0
                for j in 0..<d { rx += r[j] * x[k * d + j] }
                // The wrong term: the exact gradient adds -2 lam alpha <r, x_k> x_k.
                for i in 0..<d { gradient[i] += 2 * lam * alpha * rx * x[k * d + i] }
            }
        }
        return total
    }
}
