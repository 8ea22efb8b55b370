import LinearAlgebra

/// The non-null part of a symmetric positive *semi*-definite matrix, so that a singular or
/// numerically singular covariance (image pixels that are always 0, collinear columns) can be
/// studied instead of refused: eigenvalues at or below `tolerance` count as zero, their
/// directions are projected out, and every model runs on the r x r covariance
/// diag(s_1, ..., s_r) in the eigenbasis of the non-null part (docs/STUDY.md, "Singular data").
///
/// Why the tolerance is d eps s_1: a backward-stable symmetric eigensolver returns the exact
/// eigenvalues of S + E with |E|_2 of order d eps |S|_2 = d eps s_1 (Weyl's inequality bounds each
/// eigenvalue's error by |E|_2), so an eigenvalue below that is indistinguishable from 0 in
/// float64. Eigenvalues below -tolerance cannot come from rounding: the matrix is indefinite.
public struct PrincipalSubspace: Sendable, Equatable {
    /// d, the dimension of the input matrix.
    public let ambientDimension: Int
    /// All d eigenvalues of the input, largest first (as computed, so null ones may be tiny or
    /// slightly negative).
    public let eigenvalues: [Double]
    /// The input's unit eigenvectors as columns (d x d), in the order of `eigenvalues`.
    public let eigenvectors: Matrix
    /// The eigenvalue threshold below which a direction counts as null (d eps s_1 by default).
    public let tolerance: Double
    /// r, the number of eigenvalues above `tolerance`.
    public let rank: Int
    /// U_r, d x r: the orthonormal basis of the non-null part (columns u_1, ..., u_r).
    public let basis: Matrix
    /// diag(s_1, ..., s_r): the covariance in the basis U_r, positive definite by construction.
    public let reduced: Covariance

    /// The default null tolerance, `dimension` x eps x `largest` (see the type's documentation).
    public static func defaultTolerance(dimension: Int, largest: Double) -> Double {
        Double(max(dimension, 1)) * Double.ulpOfOne * max(largest, 0)
    }

    /// Splits `matrix` (square, finite, symmetric) into its non-null part. Throws naming the
    /// problem when the matrix is not symmetric, has an eigenvalue below -tolerance (indefinite),
    /// or is null altogether (every eigenvalue within the tolerance of 0).
    public init(_ matrix: Matrix, tolerance: Double? = nil) throws(InstanceError) {
        try Require.count(matrix.rows, atLeast: 1, "matrix.rows")
        let eigen = try Require.linearAlgebra { () throws(LinearAlgebraError) in try matrix.symmetricEigendecomposition() }
        let d = matrix.rows
        let largest = eigen.values.first!
        let tol = tolerance ?? Self.defaultTolerance(dimension: d, largest: largest)
        guard largest > tol, largest > 0 else {
            throw .invalidParameter(name: "covariance", value: largest,
                                    requirement: "a positive largest eigenvalue (every direction has zero variance)")
        }
        if let smallest = eigen.values.last, smallest < -tol {
            throw .invalidParameter(name: "covariance's smallest eigenvalue", value: smallest,
                                    requirement: ">= -\(tol) (d eps s_1): the matrix is indefinite, not a covariance")
        }
        let r = eigen.values.firstIndex { $0 <= tol } ?? d
        var basis = Matrix(rows: d, columns: r)
        for i in 0..<d { for j in 0..<r { basis[i, j] = eigen.vectors[i, j] } }
        ambientDimension = d
        eigenvalues = eigen.values
        eigenvectors = eigen.vectors
        self.tolerance = tol
        rank = r
        self.basis = basis
        reduced = try Require.linearAlgebra { () throws(LinearAlgebraError) in try Covariance(.diagonal(Array(eigen.values[0..<r]))) }
    }

    /// The number d - r of null (zero-variance) directions projected out.
    public var nullity: Int { ambientDimension - rank }
    /// s_1 / s_r, the condition number of the non-null part.
    public var conditionNumber: Double { eigenvalues[0] / eigenvalues[rank - 1] }
    /// u_1 in the input's coordinates.
    public var topEigenvector: [Double] { eigenvectors.column(0) }

    /// U_r^T x: coordinates of `x` (length d) in the non-null eigenbasis.
    public func project(_ x: [Double]) -> [Double] {
        precondition(x.count == ambientDimension, "project: x has \(x.count) entries, expected \(ambientDimension)")
        return (0..<rank).map { j in (0..<ambientDimension).reduce(0) { $0 + basis[$1, j] * x[$1] } }
    }

    /// U_r y: the vector of the input's coordinates with non-null coordinates `y` (length r).
    public func lift(_ y: [Double]) -> [Double] {
        precondition(y.count == rank, "lift: y has \(y.count) entries, expected \(rank)")
        return (0..<ambientDimension).map { i in (0..<rank).reduce(0) { $0 + basis[i, $1] * y[$1] } }
    }

    /// The rows of `data` (n x d) in the non-null eigenbasis: `data` U_r (n x r), one dgemm.
    public func projectRows(_ data: Matrix) -> Matrix {
        precondition(data.columns == ambientDimension, "projectRows: data has \(data.columns) columns, expected \(ambientDimension)")
        return data * basis
    }
}
