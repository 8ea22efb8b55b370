import LinearAlgebra

/// A validated symmetric positive-definite covariance S with the quantities every model needs:
/// its eigendecomposition, its Cholesky factor (to sample N(0, S)) and its low powers.
///
/// Construction fails with a `LinearAlgebraError` naming the problem (not square, not
/// symmetric, a non-finite entry, not positive definite) instead of producing NaNs later.
public struct Covariance: Sendable, Equatable {
    /// S itself (symmetrised).
    public let matrix: Matrix
    /// Eigenvalues s_1 >= ... >= s_d and unit eigenvectors u_1, ..., u_d.
    public let eigen: SymmetricEigendecomposition
    /// Lower-triangular L with S = L L^T.
    public let cholesky: Matrix
    /// S^2 and S^3, used by the closed-form risks.
    public let squared: Matrix
    /// S^3.
    public let cubed: Matrix

    /// Validates `matrix` as SPD and precomputes its factorisations.
    public init(_ matrix: Matrix) throws(LinearAlgebraError) {
        try matrix.validateSymmetric()
        let s = matrix.symmetrised
        // Cholesky first: it names the first leading minor that is not positive.
        let cholesky = try s.choleskyFactor()
        let eigen = try s.symmetricEigendecomposition()
        guard let smallest = eigen.values.last, smallest > 0 else {
            // Cholesky succeeded but rounding left an eigenvalue <= 0: numerically singular.
            throw .notPositiveDefinite(leadingMinor: eigen.values.count)
        }
        self.matrix = s
        self.eigen = eigen
        self.cholesky = cholesky
        self.squared = (s * s).symmetrised
        self.cubed = (squared * s).symmetrised
    }

    /// The dimension d.
    public var dimension: Int { matrix.rows }
    /// tr S.
    public var trace: Double { matrix.trace }
    /// Eigenvalues, largest first.
    public var eigenvalues: [Double] { eigen.values }
    /// u_1, the top principal direction: the target the paper's claims are about.
    public var topEigenvector: [Double] { eigen.vector(0) }
    /// s_1 - s_2 (infinite for d = 1): the spectral gap that makes u_1 well defined.
    public var topGap: Double { eigen.values.count > 1 ? eigen.values[0] - eigen.values[1] : .infinity }
    /// s_1 / s_d.
    public var conditionNumber: Double { eigen.values[0] / eigen.values[eigen.values.count - 1] }
}
