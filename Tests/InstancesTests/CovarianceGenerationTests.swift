import Instances
import LinearAlgebra
import Randomness
import TestSupport
import Testing

/// Covariances with a prescribed spectrum in a Haar basis, and the paper's A A^T + 0.1 I.
///
/// Error budget for S = fl(Q diag(s) Q^T) against the exact spectrum s (units of s_1): the
/// scaling and the dgemm give |E| <= gamma_{d+1} |Q| |D| |Q^T| plus u from the symmetrisation,
/// so ||E||_2 <= gamma_{d+2} d s_1; Q's defect f = ||Q^T Q - I||_F moves eigenvalues by at most
/// f s_1; dsyevd, which measures them, adds p(d) eps s_1 with p(d) = 10 d (LAPACK Users' Guide
/// 4.7). Weyl's inequality then bounds every |lambda_i - s_i|.
@Suite struct CovarianceGenerationTests {
    static let eps = Double.ulpOfOne

    func eigenvalueBound(_ d: Int, defect: Double, top: Double) -> Double {
        (gamma(d + 2) * Double(d) + defect + 10 * Double(d) * Self.eps) * top
    }

    static let profiles: [SpectralProfile] = [
        .flat(topGap: 0.3), .powerLaw(exponent: 1), .singleSpike(strength: 2, noiseVariance: 1),
        .nearDegenerateTopPair(splitting: 1e-9), .conditionNumber(1e6), .explicit(eigenvalues: [4, 1, 3, 2, 5]),
    ]

    @Test(arguments: profiles)
    func hasExactlyTheRequestedSpectrum(profile: SpectralProfile) throws {
        for d in [5, 20] where profile != .explicit(eigenvalues: [4, 1, 3, 2, 5]) || d == 5 {
            var stream = RandomStream(seed: 500).child(d)
            let s = try #require(try profile.eigenvalues(dimension: d))
            let q = try HaarOrthogonal.draw(dimension: d, using: &stream)
            let covariance = try Covariance.withSpectrum(s, basis: q)
            let bound = eigenvalueBound(d, defect: orthogonalityDefect(q), top: s[0])
            for k in 0..<d {
                #expect(abs(covariance.eigenvalues[k] - s[k]) <= bound, "d = \(d), k = \(k)")
            }
            // The gap is a difference of two eigenvalues: within twice the bound.
            #expect(abs(covariance.topGap - (s[0] - s[1])) <= 2 * bound)
            // Q's columns are the eigenvectors: ||S q_k - s_k q_k|| <= ||E|| + f s_1, plus the
            // rounding of S q_k in the check (gamma_d sqrt(d) ||S||_F).
            for k in 0..<d {
                let qk = q.column(k)
                let residual = naiveProduct(covariance.matrix, Matrix(rows: d, columns: 1, elements: qk)).elements
                    .subtracting(qk.scaled(by: s[k])).norm
                #expect(residual <= bound + gamma(d) * Double(d).squareRoot() * covariance.matrix.frobeniusNorm)
            }
        }
    }

    @Test func randomUsesTheProfileAndAHaarBasis() throws {
        // Covariance.random = HaarOrthogonal.draw + withSpectrum: same stream, same matrix.
        let profile = SpectralProfile.nearDegenerateTopPair(splitting: 1e-12, bulk: 0.25)
        var a = RandomStream(seed: 501)
        var b = a
        let generated = try Covariance.random(profile, dimension: 6, using: &a)
        let q = try HaarOrthogonal.draw(dimension: 6, using: &b)
        let s = try #require(try profile.eigenvalues(dimension: 6))
        #expect(generated == (try Covariance.withSpectrum(s, basis: q)))
        // A splitting of 1e-12 is resolved: the budget, with f <= 10 d^2 u (Householder QR), is
        // about 6e-14, so the measured gap is 1e-12 to within 12%.
        let bound = eigenvalueBound(6, defect: 10 * 36 * unitRoundoff, top: s[0])
        #expect(abs(generated.topGap - 1e-12) <= 2 * bound)
    }

    @Test func paperCovarianceHasTheRightMeanAndFloor() throws {
        // S = A A^T + 0.1 I, A 5 x 5 i.i.d. N(0, 1): E[S] = (d + 0.1) I; Var((A A^T)_ii) = 2d
        // (a chi-square with d degrees of freedom), Var((A A^T)_ij) = d for i != j.
        let d = 5, n = 4000
        var stream = RandomStream(seed: 502)
        let draws = try (0..<n).map { _ in try Covariance.random(.paperGram(), dimension: d, using: &stream) }
        var variance = Matrix(rows: d, columns: d, repeating: Double(d))
        for i in 0..<d { variance[i, i] = Double(2 * d) }
        let test = EntrywiseMeanTest(expected: (Double(d) + 0.1) * Matrix.identity(d), variance: variance, alpha: perTestAlpha)
        let result = try test.evaluate(draws.map(\.matrix))
        #expect(!result.rejects, "max |z| = \(result.maxZ)")
        // Every eigenvalue is at least the ridge (A A^T is PSD), up to dsyevd's 10 d eps ||S||.
        for c in draws { #expect(c.eigenvalues.last! >= 0.1 - 10 * Double(d) * Self.eps * c.eigenvalues[0]) }
        // Control: the normalised variant A A^T / d + 0.1 I (mean 1.1 I) is rejected.
        let normalised = draws.map { (1.0 / Double(d)) * ($0.matrix - 0.1 * Matrix.identity(d)) + 0.1 * Matrix.identity(d) }
        #expect(try test.evaluate(normalised).rejects)
    }

    @Test func withSpectrumRefusesBadInput() throws {
        var stream = RandomStream(seed: 503)
        let q = try HaarOrthogonal.draw(dimension: 3, using: &stream)
        #expect(throws: InstanceError.lengthMismatch(name: "eigenvalues", expected: 3, actual: 2)) {
            try Covariance.withSpectrum([1, 2], basis: q)
        }
        #expect(throws: InstanceError.linearAlgebra(.notSquare(rows: 3, columns: 2))) {
            try Covariance.withSpectrum([1, 2], basis: Matrix(rows: 3, columns: 2))
        }
        do {
            _ = try Covariance.withSpectrum([1, -1, 2], basis: q)
            Issue.record("negative eigenvalue accepted")
        } catch { #expect(error.parameterName == "eigenvalues") }
        #expect(throws: InstanceError.invalidCount(name: "dimension", value: 0, requirement: ">= 1")) {
            try Covariance.random(.flat(topGap: 1), dimension: 0, using: &stream)
        }
    }
}
