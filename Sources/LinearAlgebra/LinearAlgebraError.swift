/// Why a factorisation or product refused its input: each case names the problem.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The operation needs a square matrix.
    case notSquare(rows: Int, columns: Int)
    /// The matrix differs from its transpose by more than the stated tolerance.
    case notSymmetric(asymmetry: Double, tolerance: Double)
    /// Cholesky stopped: the leading minor of this order (1-based) is not positive.
    case notPositiveDefinite(leadingMinor: Int)
    /// An entry is NaN or infinite.
    case nonFinite
    /// A LAPACK routine returned a nonzero `info`.
    case lapackFailure(routine: String, info: Int)

    public var description: String {
        switch self {
        case let .notSquare(r, c): "matrix is \(r) x \(c), not square"
        case let .notSymmetric(a, t): "matrix is not symmetric: max |A - A^T| = \(a) > tolerance \(t)"
        case let .notPositiveDefinite(k): "matrix is not positive definite: leading minor of order \(k) is not positive"
        case .nonFinite: "matrix has a NaN or infinite entry"
        case let .lapackFailure(r, info): "LAPACK \(r) failed with info = \(info)"
        }
    }
}
