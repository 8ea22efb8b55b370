import LinearAlgebra
import Randomness

extension Covariance {
    /// The covariance S = Q diag(eigenvalues) Q^T with the given eigenvalues in the eigenbasis
    /// given by the columns of the orthogonal matrix `basis`.
    ///
    /// Computed as (Q diag(s)) Q^T with one dgemm, then symmetrised. The eigenvalues of the result
    /// equal `eigenvalues` to about 2 d^2 eps max(s) (two rounded products of d terms) plus
    /// ||Q^T Q - I|| max(s). Throws when the eigenvalues are not finite and positive, when their
    /// count differs from the size of `basis`, or when the result is not SPD in float64.
    public static func withSpectrum(_ eigenvalues: [Double], basis: Matrix) throws(InstanceError) -> Covariance {
        guard basis.isSquare else {
            throw .linearAlgebra(.notSquare(rows: basis.rows, columns: basis.columns))
        }
        guard basis.isFinite else { throw .linearAlgebra(.nonFinite) }
        guard eigenvalues.count == basis.rows else {
            throw .lengthMismatch(name: "eigenvalues", expected: basis.rows, actual: eigenvalues.count)
        }
        try Require.count(eigenvalues.count, atLeast: 1, "dimension")
        for value in eigenvalues { try Require.positive(value, "eigenvalues") }
        let d = eigenvalues.count
        var scaled = basis
        for i in 0..<d { for j in 0..<d { scaled[i, j] *= eigenvalues[j] } }
        let s = (scaled * basis.transposed).symmetrised
        return try Require.linearAlgebra { () throws(LinearAlgebraError) in try Covariance(s) }
    }

    /// A random covariance of dimension d with the spectral profile `profile`: its prescribed
    /// eigenvalues in a Haar-random eigenbasis (`HaarOrthogonal.draw`), or, for `paperGram`,
    /// the paper's S = A A^T + ridge I with A d x d of i.i.d. N(0, 1) entries.
    public static func random(
        _ profile: SpectralProfile, dimension: Int, using stream: inout RandomStream
    ) throws(InstanceError) -> Covariance {
        if let eigenvalues = try profile.eigenvalues(dimension: dimension) {
            let basis = try HaarOrthogonal.draw(dimension: dimension, using: &stream)
            return try withSpectrum(eigenvalues, basis: basis)
        }
        guard case let .paperGram(ridge) = profile else {
            preconditionFailure("only paperGram has a random spectrum")
        }
        let a = Matrix(rows: dimension, columns: dimension, elements: stream.normals(dimension * dimension))
        var s = a.gram
        for i in 0..<dimension { s[i, i] += ridge }
        return try Require.linearAlgebra { () throws(LinearAlgebraError) in try Covariance(s) }
    }
}
