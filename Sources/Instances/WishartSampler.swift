import LinearAlgebra
import Randomness

/// Draws S ~ W_d(n, V) *unnormalised*, as docs/MATHEMATICS.md §1.3 defines it: S = Z^T Z with Z an n x d
/// matrix of i.i.d. rows N(0, V), so E[S] = n V and Var(S_ij) = n (V_ij^2 + V_ii V_jj).
///
/// Z = G L^T with G of i.i.d. N(0, 1) entries and V = L L^T (Cholesky), one dgemm; S = Z^T Z is
/// a second dgemm, then symmetrised. The sampler owns its two n x d scratch buffers, so
/// `draw(into:using:)` allocates nothing once the sampler exists (the ICL protocol draws 100
/// covariances per SGD step). A copy of the sampler (one per thread) gets its own buffers on
/// first use, by copy-on-write.
///
/// With n < d, S has rank n and is singular: a valid Wishart draw, but not a `Covariance`.
public struct WishartSampler: Sendable {
    /// d.
    public let dimension: Int
    /// n, the number of rows of Z.
    public let degreesOfFreedom: Int
    /// V, the covariance of each row of Z.
    public let scale: Matrix
    /// L^T (upper triangular), row-major d x d, with V = L L^T.
    private let factorTransposed: [Double]
    /// G, n x d standard normals (scratch).
    private var gaussians: [Double]
    /// Z = G L^T, n x d (scratch).
    private var rows: [Double]

    /// A sampler for W_d(n, V). Throws naming `degreesOfFreedom` when n < 1, or a wrapped
    /// `LinearAlgebraError` when V is not square, symmetric, finite and positive definite.
    public init(degreesOfFreedom: Int, scale: Matrix) throws(InstanceError) {
        try Require.count(degreesOfFreedom, atLeast: 1, "degreesOfFreedom")
        try Require.count(scale.rows, atLeast: 1, "scale.rows")
        let factor = try Require.linearAlgebra { () throws(LinearAlgebraError) in try scale.choleskyFactor() }
        dimension = scale.rows
        self.degreesOfFreedom = degreesOfFreedom
        self.scale = scale.symmetrised
        factorTransposed = factor.transposed.elements
        gaussians = [Double](repeating: 0, count: degreesOfFreedom * scale.rows)
        rows = gaussians
    }

    /// Writes one draw of S into `result`, using n d normals of `stream`. Allocation-free when
    /// `result` is a uniquely referenced d x d matrix; any other `result` is replaced by one.
    public mutating func draw(into result: inout Matrix, using stream: inout RandomStream) {
        let d = dimension
        if result.rows != d || result.columns != d { result = Matrix(rows: d, columns: d) }
        // Move the scratch buffers out while the non-mutating core runs (exclusive access to
        // self is not needed then); empty arrays allocate nothing.
        var gaussians = [Double](), rows = [Double]()
        swap(&gaussians, &self.gaussians)
        swap(&rows, &self.rows)
        gaussians.withUnsafeMutableBufferPointer { g in
            rows.withUnsafeMutableBufferPointer { z in
                result.elements.withUnsafeMutableBufferPointer { s in
                    draw(rows: z.baseAddress!, covariance: s.baseAddress!, scratch: g.baseAddress!, using: &stream)
                }
            }
        }
        swap(&gaussians, &self.gaussians)
        swap(&rows, &self.rows)
    }

    /// The allocation-free core of `draw(into:using:)` on caller-owned buffers, for callers
    /// that also need Z (the in-context prompt source draws tokens Z^T g when S is singular):
    /// fills `scratch` (n d doubles) with normals, writes Z = G L^T (n x d, row-major) into
    /// `rows` and S = Z^T Z (d x d, symmetrised) into `covariance`. The same draws as
    /// `draw(into:using:)` on the same stream.
    public func draw(
        rows z: UnsafeMutablePointer<Double>, covariance s: UnsafeMutablePointer<Double>,
        scratch g: UnsafeMutablePointer<Double>, using stream: inout RandomStream
    ) {
        let d = dimension, n = degreesOfFreedom
        NormalSampler.fill(UnsafeMutableBufferPointer(start: g, count: n * d), from: &stream)
        factorTransposed.withUnsafeBufferPointer { lt in
            BLAS.gemm(m: n, n: d, k: d, a: g, lda: d, b: lt.baseAddress!, ldb: d, c: z, ldc: d)
        }
        BLAS.gemm(transposeA: true, m: d, n: d, k: n, a: z, lda: d, b: z, ldb: d, c: s, ldc: d)
        for i in 0..<d {
            for j in 0..<i {
                let mean = 0.5 * (s[i * d + j] + s[j * d + i])
                s[i * d + j] = mean
                s[j * d + i] = mean
            }
        }
    }

    /// One draw of S as a new matrix (allocates the d x d result).
    public mutating func draw(using stream: inout RandomStream) -> Matrix {
        var result = Matrix(rows: dimension, columns: dimension)
        draw(into: &result, using: &stream)
        return result
    }
}
