import LinearAlgebra

/// One unit of Gaussian prompts in factored form: token k of prompt p is x = F g, with F a
/// d x m factor shared by the unit and g a vector of m independent standard normals.
///
/// Prompt sources hand this out instead of the tokens because a layer whose score and loss
/// depend on the tokens only through inner products can run on g directly, with F folded
/// into its parameter and its residual. That skips forming X = F G, which at the paper's
/// d = 5 cost more than the attention layer itself (measured in `harness-bench`).
///
/// The pointers refer to the scratch buffer the unit was drawn into and are valid only while
/// that buffer is.
public struct FactoredPrompts {
    /// G, coordinate-major: coordinate a of token k of prompt p is at
    /// `normals[a * (count * length) + p * length + k]`.
    public let normals: UnsafePointer<Double>
    /// F, d x m, row-major.
    public let factor: UnsafePointer<Double>
    /// The token dimension d.
    public let dimension: Int
    /// The number m of normals per token (the columns of F).
    public let latentDimension: Int
    /// Prompts in the unit.
    public let count: Int
    /// Tokens per prompt.
    public let length: Int
    /// The distance between coordinate a and coordinate a + 1 of one token in `normals`:
    /// `count * length` for a whole unit, the parent unit's for a view of one prompt.
    public let coordinateStride: Int

    /// A unit of `count` prompts of `length` tokens x = F g.
    public init(normals: UnsafePointer<Double>, factor: UnsafePointer<Double>, dimension: Int, latentDimension: Int, count: Int, length: Int) {
        self.init(normals: normals, factor: factor, dimension: dimension, latentDimension: latentDimension, count: count, length: length,
                  coordinateStride: count * length)
    }

    private init(normals: UnsafePointer<Double>, factor: UnsafePointer<Double>, dimension: Int, latentDimension: Int, count: Int, length: Int,
                 coordinateStride: Int) {
        self.normals = normals
        self.factor = factor
        self.dimension = dimension
        self.latentDimension = latentDimension
        self.count = count
        self.length = length
        self.coordinateStride = coordinateStride
    }

    /// Prompt `index` of the unit alone, as a unit of one prompt (a view of the same buffer):
    /// what per-prompt losses and gradients are computed on.
    public func prompt(_ index: Int) -> FactoredPrompts {
        precondition(index >= 0 && index < count, "prompt \(index) of a unit of \(count)")
        return FactoredPrompts(normals: normals + index * length, factor: factor, dimension: dimension, latentDimension: latentDimension,
                               count: 1, length: length, coordinateStride: coordinateStride)
    }

    /// Writes the tokens X^T = F G (d x count * length, the coordinate-major layout of
    /// `PromptSource.fillUnit`) into `prompts`: one dgemm.
    public func formTokens(into prompts: UnsafeMutablePointer<Double>) {
        precondition(coordinateStride == count * length, "tokens are formed for whole units, not for views of one prompt")
        let tokens = count * length
        BLAS.gemm(m: dimension, n: tokens, k: latentDimension, a: factor, lda: latentDimension,
                  b: normals, ldb: tokens, c: prompts, ldc: tokens)
    }
}
