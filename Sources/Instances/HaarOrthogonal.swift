import LinearAlgebra
import Randomness

/// Haar-random (uniformly distributed) orthogonal matrices.
///
/// Method (Mezzadri 2007): take G with i.i.d. N(0, 1) entries, factor G = Q R by Householder QR
/// (LAPACK, via `Matrix.qrDecomposition`), and flip the columns of Q whose diagonal entry of R is
/// negative. Without the sign fix Q is *not* Haar (LAPACK's reflectors make diag(R) of a fixed
/// sign pattern, which biases the signs of Q). Householder rather than Gram–Schmidt because it
/// keeps Q orthogonal to O(d eps) whatever the conditioning of G; classical Gram–Schmidt loses
/// orthogonality like eps * cond(G)^2 and would need reorthogonalisation.
public enum HaarOrthogonal {
    /// A d x d orthogonal matrix drawn from the Haar measure on O(d), using d^2 normals of `stream`.
    public static func draw(dimension: Int, using stream: inout RandomStream) throws(InstanceError) -> Matrix {
        try Require.count(dimension, atLeast: 1, "dimension")
        let gaussian = Matrix(rows: dimension, columns: dimension, elements: stream.normals(dimension * dimension))
        let qr = try Require.linearAlgebra { () throws(LinearAlgebraError) in try gaussian.qrDecomposition() }
        var q = qr.q
        for j in 0..<dimension where qr.r[j, j] < 0 {
            for i in 0..<dimension { q[i, j] = -q[i, j] }
        }
        return q
    }
}
