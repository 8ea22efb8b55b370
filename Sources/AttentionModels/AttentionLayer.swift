internal import AttentionKernels
import Randomness
import Foundation
import Instances
import LinearAlgebra

/// The one-parameter attention layer of docs/MATHEMATICS.md §2.1: the query is the first token x_1, the
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

    /// Scratch doubles `lossAndGradient` needs for prompts of `length` tokens whose latent
    /// dimension (the unit's m, d for plain tokens) is at most `dimension`: room for eight
    /// prompts side by side (their tokens and three values per token each).
    public static func scratchCount(length: Int, dimension: Int) -> Int { attention_scratch_count(length, dimension) }

    /// How the kernel runs a unit's prompts; every way gives bit-identical results (tested),
    /// so this changes the speed only.
    public enum Batching: Int32, Sendable {
        /// Eight prompts side by side for short prompts, one at a time for long ones.
        case automatic = 0
        /// One prompt at a time, vectorised over its tokens.
        case eachPrompt = 1
        /// Eight prompts at a time, one per vector lane.
        case eightPrompts = 2
    }

    /// The layer's output T(X) for one prompt, given row-major (L x d, token by token).
    public func output(prompt: [Double], dimension d: Int, mu: [Double]) -> [Double] {
        precondition(d >= 1 && prompt.count % d == 0 && mu.count == d, "a prompt of whole tokens and mu of the same dimension")
        let length = prompt.count / d
        var columns = [Double](repeating: 0, count: prompt.count)
        for k in 0..<length { for j in 0..<d { columns[j * length + k] = prompt[k * d + j] } }
        var scratch = [Double](repeating: 0, count: Self.scratchCount(length: length, dimension: d))
        var vectors = [Double](repeating: 0, count: 4 * d)
        columns.withUnsafeBufferPointer { x in
            mu.withUnsafeBufferPointer { m in
                scratch.withUnsafeMutableBufferPointer { s in
                    vectors.withUnsafeMutableBufferPointer { v in
                        var prompt = kernelPrompt(x.baseAddress!, stride: length, length: length, latent: d, mu: m.baseAddress!,
                                                  metric: nil, gradient: nil, scratch: s.baseAddress!, vectors: v.baseAddress!)
                        _ = attention_prompt_loss(&prompt, Int32(InstructionSet.best.rawValue))
                    }
                }
            }
        }
        return Array(vectors[0..<d])
    }

    /// The summed loss ||x_1 - T(X)||^2 over `count` prompts of `length` tokens; the sum of
    /// their exact gradients in mu is added to `gradient` (the caller zeroes it and divides).
    ///
    /// Layout (coordinate-major, so every inner loop runs over contiguous tokens and
    /// vectorises): coordinate j of token k of prompt p is at
    /// `prompts[j * coordinateStride + p * length + k]`; `coordinateStride` defaults to
    /// `count * length`, the layout `PromptSource.fillUnit` writes.
    ///
    /// Analytic gradient (derived for this project, docs/MATHEMATICS.md §2.3):
    /// - softmax: with r = x_1 - T, g_k = -2 w_k <r, x_k - T>,
    ///   grad = lam [ (sum_k g_k beta_k) x_1 + alpha sum_k g_k x_k ];
    /// - linear: with y = sum_k beta_k x_k and c = lam (or lam / |keys| for the mean),
    ///   grad = -2 c [ <r, y> x_1 + alpha sum_k <r, x_k> x_k ].
    /// `scratch` has `scratchCount(length:dimension:)` doubles. `instructionSet` only changes
    /// the speed: every instruction set gives bit-identical results.
    public func lossAndGradient(
        prompts: UnsafePointer<Double>, count: Int, length: Int, dimension d: Int, coordinateStride: Int? = nil,
        mu: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>,
        instructionSet: InstructionSet = .best, batching: Batching = .automatic
    ) -> Double {
        promptsLoss(prompts, count: count, stride: coordinateStride ?? count * length, length: length, latent: d, mu: mu, metric: nil,
                    gradient: gradient, scratch: scratch, instructionSet: instructionSet, batching: batching)
    }

    /// The same summed loss and gradient for a unit of prompts in factored form (tokens
    /// x = F g), computed on the normals g without forming the tokens.
    ///
    /// Every quantity of the layer goes through x only by inner products, so with
    /// mu_g = F^T mu and the metric M = F^T F: beta_k = <mu_g, g_k>, T = F T_g with
    /// T_g = sum_k w_k g_k, r = F r_g with r_g = g_1 - T_g, ||r||^2 = <r_g, M r_g>,
    /// <r, x_k> = <M r_g, g_k>, and the gradient is F times the same expression in g.
    /// Equal to `lossAndGradient(prompts:...)` on `unit.formTokens` up to rounding (tested).
    /// `scratch` has `scratchCount(length: unit.length, dimension: m)` doubles for some m >= `unit.latentDimension`.
    public func lossAndGradient(
        _ unit: FactoredPrompts, mu: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
        scratch: UnsafeMutablePointer<Double>, instructionSet: InstructionSet = .best
    ) -> Double {
        lossAndGradient(unit, mu: mu, gradient: gradient, scratch: scratch, instructionSet: instructionSet, batching: .automatic)
    }

    /// The same, with the kernel's batching chosen (for its tests and benchmarks: the result
    /// does not depend on it).
    public func lossAndGradient(
        _ unit: FactoredPrompts, mu: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
        scratch: UnsafeMutablePointer<Double>, instructionSet: InstructionSet, batching: Batching
    ) -> Double {
        let d = unit.dimension, m = unit.latentDimension, f = unit.factor
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: m * m + 2 * m) { buffer in
            let metric = buffer.baseAddress!
            let muLatent = metric + m * m
            let gradientLatent = muLatent + m
            for a in 0..<m {
                var projected = 0.0
                for i in 0..<d { projected += f[i * m + a] * mu[i] }
                muLatent[a] = projected
                gradientLatent[a] = 0
                for b in 0..<m {
                    var product = 0.0
                    for i in 0..<d { product += f[i * m + a] * f[i * m + b] }
                    metric[a * m + b] = product
                }
            }
            let total = promptsLoss(unit.normals, count: unit.count, stride: unit.coordinateStride, length: unit.length, latent: m,
                                    mu: muLatent, metric: metric, gradient: gradientLatent, scratch: scratch,
                                    instructionSet: instructionSet, batching: batching)
            for i in 0..<d {
                var entry = 0.0
                for a in 0..<m { entry += f[i * m + a] * gradientLatent[a] }
                gradient[i] += entry
            }
            return total
        }
    }

    /// `count` prompts laid out as one prompt's coordinates (prompt p starts `length` values
    /// after prompt p - 1): their summed loss, their gradients added to `gradient` in prompt
    /// order, bit-identical whatever `batching` (the C kernel's `attention_prompts_loss`).
    @inline(__always)
    private func promptsLoss(
        _ x: UnsafePointer<Double>, count: Int, stride: Int, length: Int, latent m: Int, mu: UnsafePointer<Double>,
        metric: UnsafePointer<Double>?, gradient: UnsafeMutablePointer<Double>?, scratch: UnsafeMutablePointer<Double>,
        instructionSet: InstructionSet, batching: Batching
    ) -> Double {
        var prompt = kernelPrompt(x, stride: stride, length: length, latent: m, mu: mu, metric: metric, gradient: gradient,
                                  scratch: scratch, vectors: nil)
        return attention_prompts_loss(&prompt, count, length, batching.rawValue, Int32(instructionSet.rawValue))
    }

    /// This layer's description of one prompt for the C kernel (Sources/AttentionKernels, which
    /// follows the derivation above line by line): tokens in coordinates where the inner product
    /// is <u, v>_M = u^T M v (M = `metric`, m x m; nil for the identity, i.e. plain tokens),
    /// coordinate a of token k at x[a * stride + k]; the gradient, when there is one, is added
    /// in the same coordinates. `vectors` (4m doubles, 5m with a gradient) is where the
    /// one-prompt kernel leaves T; the many-prompt kernel takes nil.
    @inline(__always)
    private func kernelPrompt(
        _ x: UnsafePointer<Double>, stride: Int, length: Int, latent m: Int, mu: UnsafePointer<Double>,
        metric: UnsafePointer<Double>?, gradient: UnsafeMutablePointer<Double>?,
        scratch: UnsafeMutablePointer<Double>, vectors: UnsafeMutablePointer<Double>?
    ) -> attention_prompt {
        attention_prompt(
            tokens: x, stride: stride, length: length, latent: m, mu: mu, metric: metric, gradient: gradient,
            scratch: scratch, vectors: vectors, lam: lam, softmax: kind == .softmax ? 1 : 0,
            keys_include_query: keysIncludeQuery ? 1 : 0, linear_mean: linearAggregation == .mean ? 1 : 0)
    }
}
