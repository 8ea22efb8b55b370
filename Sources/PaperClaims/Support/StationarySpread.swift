import LinearAlgebra

/// The stationary covariance of SGD around a minimiser, from the model (docs/MATHEMATICS.md §7.1): with Hessian H and
/// per-step gradient-noise covariance Sigma / B, the linearised iteration
/// delta <- (I - eta H) delta - eta xi has stationary covariance C solving
/// C = (I - eta H) C (I - eta H) + eta^2 Sigma / B. In H's eigenbasis (h_i, q_i):
/// C_ij = eta^2 Sigma'_ij / (B (1 - (1 - eta h_i)(1 - eta h_j))).
enum StationarySpread {
    static func covariance(hessian: Matrix, noise: Matrix, batch: Int, step eta: Double) throws -> Matrix {
        let e = try hessian.symmetricEigendecomposition()
        let q = e.vectors
        let rotated = q.transposed * noise * q
        let d = hessian.rows
        var c = Matrix(rows: d, columns: d)
        for i in 0..<d {
            for j in 0..<d {
                let contraction = 1 - (1 - eta * e.values[i]) * (1 - eta * e.values[j])
                c[i, j] = eta * eta * rotated[i, j] / (Double(batch) * contraction)
            }
        }
        return (q * c * q.transposed).symmetrised
    }
}
