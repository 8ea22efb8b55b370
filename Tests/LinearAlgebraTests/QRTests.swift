import LinearAlgebra
import Randomness
import TestSupport
import Testing

/// `qrDecomposition()`: Householder QR is backward stable, A + dA = Q R with
/// ||dA||_F <= c m n u ||A||_F and ||Q^T Q - I||_F <= c m n u (Higham, Theorem 19.4, with a
/// modest constant); we take c = 10.
@Suite struct QRTests {
    @Test(arguments: [(6, 6), (9, 4), (4, 9), (1, 1), (50, 50)])
    func factorsAndIsOrthonormal(shape: (Int, Int)) throws {
        let (m, n) = shape
        var stream = RandomStream(seed: 400).child(m * 100 + n)
        let a = gaussianMatrix(m, n, &stream)
        let qr = try a.qrDecomposition()
        let k = min(m, n)
        #expect(qr.q.rows == m && qr.q.columns == k && qr.r.rows == k && qr.r.columns == n)
        for i in 0..<k { for j in 0..<min(i, n) { #expect(qr.r[i, j] == 0) } }
        let c = 10 * Double(m * n) * unitRoundoff
        #expect(orthogonalityDefect(qr.q) <= c)
        // Forming Q R in the check adds gamma_k || |Q| |R| ||_F <= gamma_k sqrt(k) ||R||_F.
        let residual = (naiveProduct(qr.q, qr.r) - a).frobeniusNorm
        #expect(residual <= c * a.frobeniusNorm + gamma(k) * Double(k).squareRoot() * qr.r.frobeniusNorm)
    }

    @Test func refusesNonFiniteAndHandlesEmpty() throws {
        #expect(throws: LinearAlgebraError.nonFinite) { try Matrix(rowList: [[1, .nan]]).qrDecomposition() }
        let empty = try Matrix(rows: 3, columns: 0).qrDecomposition()
        #expect(empty.q.columns == 0 && empty.r.rows == 0)
    }
}
