import Instances

extension Covariance {
    /// u_1, or under `eigen-order-reversed` the eigenvector taken from the wrong end of the
    /// eigendecomposition (u_d, the smallest eigenvalue's), as if the eigenvalues were sorted
    /// ascending. Claims take their target direction from here so the control can plant it.
    func topDirection(under sabotage: Sabotage?) -> [Double] {
        sabotage == .eigenOrderReversed ? eigen.vector(dimension - 1) : topEigenvector
    }
}
