import LinearAlgebra
import Randomness
import TestSupport
import Testing

/// `symmetricEigendecomposition()` against matrices with a known answer, A = Q diag(s) Q^T.
///
/// Error budget (all in units of max(s) = ||A||_2):
/// - building A: |fl(Q D Q^T) - Q D Q^T| <= gamma_{d+1} |Q| |D| |Q^T| entrywise, whose 2-norm is
///   at most gamma_{d+1} d max(s) (|| |Q| ||_2 <= ||Q||_F = sqrt d); plus Q's own defect
///   f = ||Q^T Q - I||_F, measured, which moves eigenvalues by at most f max(s);
/// - LAPACK dsyevd: eigenpairs exact for A + E with ||E||_2 <= p(d) eps ||A||_2 (LAPACK Users'
///   Guide, section 4.7, "p(n) a modestly growing function of n"); we take p(d) = 10 d.
@Suite struct EigendecompositionTests {
    static let eps = Double.ulpOfOne

    /// The backward-error budget ||E||_2 / max(s) for a d x d known-answer matrix built from q.
    func budget(_ d: Int, _ q: Matrix) -> Double {
        10 * Double(d) * Self.eps + gamma(d + 1) * Double(d) + orthogonalityDefect(q)
    }

    @Test(arguments: [2, 5, 8, 30])
    func recoversAKnownSpectrumAndBasis(d: Int) throws {
        var stream = RandomStream(seed: 100).child(d)
        let q = householderProduct(d, &stream)
        // Distinct eigenvalues in a scrambled order, gaps at least 0.1.
        var s = (0..<d).map { 1 + 0.5 * Double($0) }
        s.swapAt(0, d - 1)
        let a = spectralMatrix(q, s)
        let e = try a.symmetricEigendecomposition()
        let sMax = s.max()!
        let delta = budget(d, q) * sMax

        // Eigenvalues: descending, each within delta of the known one (Weyl).
        let sorted = s.sorted(by: >)
        #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 >= $1 })
        for k in 0..<d { #expect(abs(e.values[k] - sorted[k]) <= delta, "k = \(k)") }

        // Orthonormal eigenvectors: computing V^T V adds gamma_d per entry.
        let defect = naiveProduct(e.vectors.transposed, e.vectors) - Matrix.identity(d)
        #expect(defect.maxAbs <= 10 * Double(d) * Self.eps + gamma(d))

        // Residual ||A V - V W||_F <= sqrt(d) p(d) eps ||A||_2, plus the rounding of A V in the
        // check itself: gamma_d || |A| |V| ||_F <= gamma_d d ||A||_F.
        var vw = e.vectors
        for i in 0..<d { for k in 0..<d { vw[i, k] *= e.values[k] } }
        let residual = (naiveProduct(a, e.vectors) - vw).frobeniusNorm
        let residualBound = Double(d).squareRoot() * 10 * Double(d) * Self.eps * sMax + gamma(d) * Double(d) * a.frobeniusNorm
        #expect(residual <= residualBound)

        // Eigenvectors: Davis–Kahan, sin(angle) <= ||E||_2 / gap; ||v - q|| <= sqrt 2 sin(angle)
        // once the sign is aligned; q's columns are unit only to within the defect.
        for k in 0..<d {
            let sk = sorted[k]
            let gap = sorted.enumerated().filter { $0.offset != k }.map { abs($0.element - sk) }.min()!
            let column = q.column(s.firstIndex(of: sk)!)
            let v = e.vector(k)
            let sign: Double = v.dot(column) < 0 ? -1 : 1
            let distance = v.subtracting(column.scaled(by: sign)).norm
            #expect(distance <= 2.0.squareRoot() * delta / gap + orthogonalityDefect(q) + 4 * Double(d) * Self.eps)
            // Sign convention: the entry of largest magnitude is positive.
            #expect(v.max(by: { abs($0) < abs($1) })! > 0)
        }
        // Reconstruction V diag(w) V^T = A within the same budget (Frobenius <= sqrt d * 2-norm).
        let rebuilt = e.reconstructed()
        #expect((rebuilt - a).frobeniusNorm <= Double(d).squareRoot() * 2 * delta + gamma(d + 1) * Double(d) * sMax)
    }

    @Test func repeatedEigenvaluesStillGiveAnOrthonormalBasis() throws {
        // A multiple of the identity: every basis is an eigenbasis; LAPACK must return one.
        let e = try (3.0 * Matrix.identity(6)).symmetricEigendecomposition()
        #expect(e.values.allSatisfy { abs($0 - 3) <= 3 * 60 * Self.eps })
        let defect = naiveProduct(e.vectors.transposed, e.vectors) - Matrix.identity(6)
        #expect(defect.maxAbs <= 60 * Self.eps + gamma(6))
    }

    @Test func smallAndEmptyMatrices() throws {
        let empty = try Matrix(rows: 0, columns: 0).symmetricEigendecomposition()
        #expect(empty.values.isEmpty)
        let one = try Matrix(rowList: [[-4]]).symmetricEigendecomposition()
        #expect(one.values == [-4])
        #expect(one.vectors == Matrix(rowList: [[1]]))
        // 2 x 2 with a closed form: [[2, 1], [1, 2]] has eigenvalues 3, 1 and vectors (1, 1)/sqrt 2,
        // (1, -1)/sqrt 2 (sign convention: the largest-magnitude entry positive; for the tie in
        // the second vector either sign is allowed).
        let two = try Matrix(rowList: [[2, 1], [1, 2]]).symmetricEigendecomposition()
        #expect(abs(two.values[0] - 3) <= 20 * 3 * Self.eps && abs(two.values[1] - 1) <= 20 * 3 * Self.eps)
        let r = 0.5.squareRoot()
        #expect(two.vector(0).subtracting([r, r]).norm <= 40 * Self.eps)
        #expect(abs(abs(two.vector(1)[0]) - r) <= 40 * Self.eps && abs(two.vector(1)[0] + two.vector(1)[1]) <= 40 * Self.eps)
    }

    @Test func refusesInvalidInput() {
        #expect(throws: LinearAlgebraError.notSquare(rows: 2, columns: 3)) {
            try Matrix(rows: 2, columns: 3).symmetricEigendecomposition()
        }
        #expect(throws: LinearAlgebraError.nonFinite) {
            try Matrix(rowList: [[1, .nan], [.nan, 1]]).symmetricEigendecomposition()
        }
        #expect(throws: LinearAlgebraError.nonFinite) {
            try Matrix(rowList: [[1, 0], [0, .infinity]]).symmetricEigendecomposition()
        }
        do {
            _ = try Matrix(rowList: [[1, 2], [2.1, 1]]).symmetricEigendecomposition()
            Issue.record("a visibly asymmetric matrix was accepted")
        } catch let .notSymmetric(asymmetry, tolerance) {
            #expect(abs(asymmetry - 0.1) < 1e-12 && tolerance < asymmetry)
        } catch { Issue.record("wrong error \(error)") }
        // Rounding-level asymmetry (one ulp) is not an error.
        #expect(throws: Never.self) {
            try Matrix(rowList: [[1, 2], [(2.0).nextUp, 1]]).symmetricEigendecomposition()
        }
    }
}
