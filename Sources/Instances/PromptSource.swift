import LinearAlgebra
import Randomness

/// A source of Gaussian prompts for stochastic training, drawn in *units*: groups of prompts
/// that share their randomness structure (one covariance and its prompts, in the in-context
/// protocol). A unit is drawn from its own random stream, so a step's prompts do not depend
/// on how units are spread across threads.
///
/// Every unit is Gaussian given its covariance, so a source draws it in factored form
/// (`FactoredPrompts`: tokens F g with g standard normal); `fillUnit` forms the tokens.
public protocol PromptSource: Sendable {
    /// The token dimension d.
    var dimension: Int { get }
    /// Prompts per unit.
    var promptsPerUnit: Int { get }
    /// Doubles of scratch space `drawUnit` (and `fillUnit`) needs for prompts of `length` tokens.
    func scratchCount(length: Int) -> Int
    /// Draws `promptsPerUnit` prompts of `length` tokens from `stream` in factored form; the
    /// normals and the factor are written into `scratch` (`scratchCount(length:)` doubles),
    /// which the result points into.
    func drawUnit(length: Int, stream: inout RandomStream, scratch: UnsafeMutableBufferPointer<Double>) -> FactoredPrompts
}

extension PromptSource {
    /// Writes `promptsPerUnit` prompts of `length` tokens into `prompts`, coordinate-major:
    /// coordinate j of token k of prompt p at `j * (promptsPerUnit * length) + p * length + k`
    /// (so per-coordinate loops over tokens are contiguous). The same draws as `drawUnit` on
    /// the same stream, with the tokens formed.
    public func fillUnit(
        _ prompts: UnsafeMutableBufferPointer<Double>, length: Int,
        stream: inout RandomStream, scratch: UnsafeMutableBufferPointer<Double>
    ) {
        precondition(prompts.count >= promptsPerUnit * length * dimension, "prompts buffer too small")
        drawUnit(length: length, stream: &stream, scratch: scratch).formTokens(into: prompts.baseAddress!)
    }
}

/// Prompts whose tokens are i.i.d. N(0, S) for one fixed covariance S (docs/MATHEMATICS.md §1.1): tokens
/// L g with L = chol(S) and g standard normal, so the factor of every unit is L.
public struct GaussianPromptSource: PromptSource {
    /// The token covariance.
    public let covariance: Covariance
    /// Prompts per unit (a unit is the work grain of parallel SGD, not a statistical notion).
    public let promptsPerUnit: Int

    /// A source of N(0, S) prompts, `promptsPerUnit` at a time.
    public init(covariance: Covariance, promptsPerUnit: Int = 32) {
        precondition(promptsPerUnit >= 1, "promptsPerUnit must be >= 1")
        self.covariance = covariance
        self.promptsPerUnit = promptsPerUnit
    }

    public var dimension: Int { covariance.dimension }

    public func scratchCount(length: Int) -> Int { promptsPerUnit * length * dimension + dimension * dimension }

    public func drawUnit(length: Int, stream: inout RandomStream, scratch: UnsafeMutableBufferPointer<Double>) -> FactoredPrompts {
        let d = dimension
        let tokens = promptsPerUnit * length
        let normals = UnsafeMutableBufferPointer(rebasing: scratch[0..<(tokens * d)])
        NormalSampler.fill(normals, from: &stream)
        let factor = scratch.baseAddress! + tokens * d
        covariance.cholesky.elements.withUnsafeBufferPointer { factor.update(from: $0.baseAddress!, count: d * d) }
        return FactoredPrompts(normals: normals.baseAddress!, factor: factor, dimension: d, latentDimension: d,
                               count: promptsPerUnit, length: length)
    }
}

/// The in-context protocol (docs/MATHEMATICS.md §1.3): each unit draws a fresh covariance S = Z^T Z with
/// Z (n x d) of i.i.d. N(0, V) rows, an unnormalised Wishart W_d(n, V), then `promptsPerUnit`
/// prompts whose tokens are i.i.d. N(0, S).
///
/// Tokens are drawn as L_S g with L_S = chol(S) (d normals per token); when S is singular
/// (n < d) they are drawn as Z^T g with g in R^n, which has the same law N(0, Z^T Z).
public struct WishartPromptSource: PromptSource {
    /// V, the Wishart scale.
    public let scale: Covariance
    /// Draws Z and S = Z^T Z; only its non-mutating pointer API is used, so copies share it.
    private let sampler: WishartSampler
    /// The Wishart degrees of freedom n.
    public let degreesOfFreedom: Int
    /// Prompts drawn from each sampled covariance.
    public let promptsPerUnit: Int

    /// Prompts from covariances W_d(n, V), `promptsPerCovariance` per covariance.
    public init(scale: Covariance, degreesOfFreedom n: Int, promptsPerCovariance: Int) {
        precondition(n >= 1 && promptsPerCovariance >= 1, "n and promptsPerCovariance must be >= 1")
        self.scale = scale
        // Cannot throw: n >= 1 is checked above and a Covariance is SPD.
        sampler = try! WishartSampler(degreesOfFreedom: n, scale: scale.matrix)
        self.degreesOfFreedom = n
        self.promptsPerUnit = promptsPerCovariance
    }

    public var dimension: Int { scale.dimension }

    public func scratchCount(length: Int) -> Int {
        let d = dimension, n = degreesOfFreedom
        return 2 * n * d + 2 * d * d + promptsPerUnit * length * max(d, n)
    }

    public func drawUnit(length: Int, stream: inout RandomStream, scratch: UnsafeMutableBufferPointer<Double>) -> FactoredPrompts {
        let d = dimension, n = degreesOfFreedom
        let base = scratch.baseAddress!
        let g = base
        let z = base + n * d
        let s = z + n * d
        let cholesky = s + d * d
        let tokenNormals = cholesky + d * d
        sampler.draw(rows: z, covariance: s, scratch: g, using: &stream)
        let tokens = promptsPerUnit * length
        // Factor L_S (d x d), or Z^T (d x n, written over g, which is no longer needed) when S
        // is singular.
        let factored = n >= d && Self.choleskyInPlace(s, into: cholesky, dimension: d)
        let m = factored ? d : n
        if !factored {
            for i in 0..<d { for a in 0..<n { base[i * n + a] = z[a * d + i] } }
        }
        NormalSampler.fill(UnsafeMutableBufferPointer(start: tokenNormals, count: tokens * m), from: &stream)
        return FactoredPrompts(normals: tokenNormals, factor: factored ? cholesky : base, dimension: d, latentDimension: m,
                               count: promptsPerUnit, length: length)
    }

    /// Plain Cholesky of a small d x d matrix into `factor` (lower, row-major); false if a pivot
    /// is not positive. Written out because LAPACK's call overhead dominates at d ~ 5 and it
    /// runs once per sampled covariance.
    static func choleskyInPlace(_ a: UnsafeMutablePointer<Double>, into factor: UnsafeMutablePointer<Double>, dimension d: Int) -> Bool {
        for i in 0..<d {
            for j in 0...i {
                var sum = a[i * d + j]
                for k in 0..<j { sum -= factor[i * d + k] * factor[j * d + k] }
                if i == j {
                    guard sum > 0 else { return false }
                    factor[i * d + i] = sum.squareRoot()
                } else {
                    factor[i * d + j] = sum / factor[j * d + j]
                }
            }
            for j in (i + 1)..<max(i + 1, d) { factor[i * d + j] = 0 }
        }
        return true
    }
}
