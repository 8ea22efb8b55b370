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

    /// A unit of `count` prompts of `length` tokens x = F g.
    public init(normals: UnsafePointer<Double>, factor: UnsafePointer<Double>, dimension: Int, latentDimension: Int, count: Int, length: Int) {
        self.normals = normals
        self.factor = factor
        self.dimension = dimension
        self.latentDimension = latentDimension
        self.count = count
        self.length = length
    }

    /// The distance between coordinate a and coordinate a + 1 of one token in `normals`.
    public var coordinateStride: Int { count * length }

    /// Writes the tokens X^T = F G (d x count * length, the coordinate-major layout of
    /// `PromptSource.fillUnit`) into `prompts`: one dgemm.
    public func formTokens(into prompts: UnsafeMutablePointer<Double>) {
        let tokens = count * length
        BLAS.gemm(m: dimension, n: tokens, k: latentDimension, a: factor, lda: latentDimension,
                  b: normals, ldb: tokens, c: prompts, ldc: tokens)
    }
}
