import LinearAlgebra
import Randomness
import TestSupport
import Testing

/// `choleskyFactor()` against A = L L^T with a known lower-triangular L.
@Suite struct CholeskyTests {
    /// A lower-triangular L with diagonal in [2, 3] and off-diagonal entries in [-0.5/d, 0.5/d],
    /// so every Gershgorin row sum of A = L L^T is below 1.75 < a_ii: A is well conditioned at
    /// every d (checked by Gershgorin in the test, not assumed).
    func knownFactor(_ d: Int, _ stream: inout RandomStream) -> Matrix {
        var l = Matrix(rows: d, columns: d)
        for i in 0..<d {
            l[i, i] = 2 + stream.uniform()
            for j in 0..<i { l[i, j] = (stream.uniform() - 0.5) / Double(d) }
        }
        return l
    }

    @Test(arguments: [1, 2, 6, 40])
    func recoversAKnownFactor(d: Int) throws {
        var stream = RandomStream(seed: 200).child(d)
        let l = knownFactor(d, &stream)
        let a = naiveProduct(l, l.transposed).symmetrised
        let lHat = try a.choleskyFactor()

        // Lower triangular with a positive diagonal.
        for i in 0..<d {
            #expect(lHat[i, i] > 0)
            for j in (i + 1)..<max(i + 1, d) { #expect(lHat[i, j] == 0) }
        }
        // Backward error, componentwise (Higham, Theorem 10.3): L^ L^T = A + E with
        // |E| <= gamma_{d+1} |L^| |L^T|; forming L^ L^T in the check adds gamma_d of the same.
        let product = naiveProduct(lHat, lHat.transposed)
        let scale = naiveProduct(absolute(lHat), absolute(lHat).transposed)
        for i in 0..<d { for j in 0..<d {
            #expect(abs(product[i, j] - a[i, j]) <= 2 * gamma(d + 1) * scale[i, j], "entry (\(i), \(j))")
        } }
        // Forward error against the known L: first-order perturbation theory (Sun 1991,
        // Higham Theorem 10.8): ||L^ - L||_F / ||L||_2 <= kappa_2(A) ||dA||_F / ||A||_2, where dA
        // gathers the rounding of A = L L^T (gamma_d) and the backward error (gamma_{d+1}). A
        // factor 2 covers second-order terms. kappa_2(A) and ||A||_2 are bounded by Gershgorin.
        var lower = Double.infinity, upper = 0.0
        for i in 0..<d {
            let radius = (0..<d).filter { $0 != i }.reduce(0) { $0 + abs(a[i, $1]) }
            lower = min(lower, a[i, i] - radius)
            upper = max(upper, a[i, i] + radius)
        }
        try #require(lower > 0)
        let kappa = upper / lower
        let dA = 2 * gamma(d + 1) * scale.frobeniusNorm
        let lNorm = upper.squareRoot()  // ||L||_2 = sqrt(||A||_2)
        let aNormLower = (0..<d).map { a[$0, $0] }.max()!  // ||A||_2 >= max a_ii
        #expect((lHat - l).frobeniusNorm <= 2 * kappa * dA / aNormLower * lNorm)
    }

    @Test func namesTheFirstFailingLeadingMinor() {
        // Diagonal with a negative third entry: minors 1, 2 positive, 3 negative.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 3)) {
            try Matrix.diagonal([1, 2, -1, 3]).choleskyFactor()
        }
        // A dense case: minors 2, 3, then 2*2*(-3) ... : det of the 3 x 3 is -16.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 3)) {
            try Matrix(rowList: [[2, 1, 1], [1, 2, 1], [1, 1, -3]]).choleskyFactor()
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 2)) {
            try Matrix(rowList: [[1, 2], [2, 1]]).choleskyFactor()
        }
        // Exactly singular (1 - 1 = 0 is exact in float64): semidefinite is not definite.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 2)) {
            try Matrix(rowList: [[1, 1], [1, 1]]).choleskyFactor()
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 1)) {
            try Matrix(rowList: [[0]]).choleskyFactor()
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 1)) {
            try Matrix(rowList: [[-4]]).choleskyFactor()
        }
        // The block [[-1, 0], [0, 1]] after I_3 fails at minor 4.
        var blocks = Matrix.identity(5)
        blocks[3, 3] = -1
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 4)) { try blocks.choleskyFactor() }
    }

    @Test func refusesInvalidInputAndHandlesEdgeSizes() throws {
        #expect(throws: LinearAlgebraError.notSquare(rows: 3, columns: 2)) { try Matrix(rows: 3, columns: 2).choleskyFactor() }
        #expect(throws: LinearAlgebraError.nonFinite) { try Matrix(rowList: [[.nan]]).choleskyFactor() }
        #expect {
            try Matrix(rowList: [[4, 1], [0, 4]]).choleskyFactor()
        } throws: { error in
            if case .notSymmetric = error as? LinearAlgebraError { true } else { false }
        }
        #expect(try Matrix(rowList: [[4]]).choleskyFactor() == Matrix(rowList: [[2]]))
        #expect(try Matrix(rows: 0, columns: 0).choleskyFactor() == Matrix(rows: 0, columns: 0))
    }
}
