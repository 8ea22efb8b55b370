import LinearAlgebra

extension Matrix {
    /// Adds `factor * (u v^T + v u^T)` in place (a symmetric rank-two update).
    mutating func addSymmetricOuter(_ u: [Double], _ v: [Double], factor: Double) {
        for i in 0..<rows { for j in 0..<columns { self[i, j] += factor * (u[i] * v[j] + v[i] * u[j]) } }
    }

    /// Adds `factor * u u^T` in place.
    mutating func addOuter(_ u: [Double], factor: Double) {
        for i in 0..<rows { for j in 0..<columns { self[i, j] += factor * u[i] * u[j] } }
    }
}
