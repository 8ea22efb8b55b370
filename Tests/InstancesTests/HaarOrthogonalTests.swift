import Foundation
import Instances
import LinearAlgebra
import Randomness
import Statistics
import TestSupport
import Testing

/// Haar-random orthogonal matrices: orthogonality to rounding, and the Haar distribution.
///
/// Distribution facts used: the first column of a Haar Q is uniform on the sphere, so
/// Q_11^2 ~ Beta(1/2, (d - 1)/2) (mean 1/d), and for d = 3, Q_11 ~ Uniform(-1, 1) (Archimedes).
/// Every entry has mean 0 and variance 1/d (sign symmetry, which the diag(R) > 0 fix provides).
@Suite struct HaarOrthogonalTests {
    static let draws = 20_000

    @Test(arguments: [1, 2, 5, 50, 200])
    func isOrthogonalToRounding(d: Int) throws {
        var stream = RandomStream(seed: 600).child(d)
        let q = try HaarOrthogonal.draw(dimension: d, using: &stream)
        // Householder QR: ||Q^T Q - I||_F <= c d^2 u with a modest c (Higham, Theorem 19.4);
        // c = 10. Computing Q^T Q in the check adds gamma_d per entry, gamma_d d in Frobenius.
        #expect(orthogonalityDefect(q) <= 10 * Double(d * d) * unitRoundoff + gamma(d) * Double(d))
        #expect(throws: InstanceError.invalidCount(name: "dimension", value: 0, requirement: ">= 1")) {
            try HaarOrthogonal.draw(dimension: 0, using: &stream)
        }
    }

    /// A wrong generator for the controls: a point of the cube [-1, 1]^d normalised to the
    /// sphere (not uniform on it), used as a "first column".
    func cubeColumn(_ d: Int, _ stream: inout RandomStream) -> [Double] {
        (0..<d).map { _ in 2 * stream.uniform() - 1 }.normalised
    }

    @Test func firstColumnIsUniformOnTheSphere() throws {
        // d = 5: Q_11^2 ~ Beta(1/2, 2), KS (DKW) at alpha / 2; d = 3: Q_11 ~ U(-1, 1), at alpha / 2.
        var stream = RandomStream(seed: 601)
        let five = try (0..<Self.draws).map { _ in try HaarOrthogonal.draw(dimension: 5, using: &stream) }
        let three = try (0..<Self.draws).map { _ in try HaarOrthogonal.draw(dimension: 3, using: &stream) }
        let beta: (Double) -> Double = { x in (try? IncompleteBeta.regularized(x: min(max(x, 0), 1), a: 0.5, b: 2)) ?? .nan }
        let uniform: (Double) -> Double = { x in min(max((x + 1) / 2, 0), 1) }
        let alpha = perTestAlpha / 2
        #expect(try !dkwRejects(five.map { $0[0, 0] * $0[0, 0] }, cdf: beta, alpha: alpha))
        #expect(try !dkwRejects(three.map { $0[0, 0] }, cdf: uniform, alpha: alpha))
        // Controls: the normalised cube's first coordinate is 0.085 (d = 5, squared) and 0.033
        // (d = 3) from these laws in KS distance (Monte Carlo, 2e6 draws, offline); the DKW radius
        // at N = 2e4 is 0.0196: both are rejected.
        var control = RandomStream(seed: 602)
        #expect(try dkwRejects((0..<Self.draws).map { _ in pow(cubeColumn(5, &control)[0], 2) }, cdf: beta, alpha: alpha))
        #expect(try dkwRejects((0..<Self.draws).map { _ in cubeColumn(3, &control)[0] }, cdf: uniform, alpha: alpha))
    }

    @Test func entriesHaveMeanZeroAndVarianceOneOverD() throws {
        // z-test of the mean of each of the 25 entries (variance 1/d), and of the mean of the
        // squares of each entry (mean 1/d, variance of Beta(1/2, 2) = 2 (d - 1) / (d^2 (d + 2))):
        // Bonferroni over 50 two-sided tests.
        let d = 5
        let n = Double(Self.draws)
        let critical = try Normal.upperQuantile(perTestAlpha / 100)
        let squareVariance = 2 * Double(d - 1) / (Double(d * d) * Double(d + 2))
        func worstZ(_ samples: [Matrix]) -> Double {
            var worst = 0.0
            for i in 0..<d { for j in 0..<d {
                let mean = samples.reduce(0) { $0 + $1[i, j] } / n
                let meanSquare = samples.reduce(0) { $0 + $1[i, j] * $1[i, j] } / n
                worst = max(worst, abs(mean) / (1 / (Double(d) * n)).squareRoot(),
                            abs(meanSquare - 1 / Double(d)) / (squareVariance / n).squareRoot())
            } }
            return worst
        }
        var stream = RandomStream(seed: 603)
        let haar = try (0..<Self.draws).map { _ in try HaarOrthogonal.draw(dimension: d, using: &stream) }
        let z = worstZ(haar)
        #expect(z <= critical, "worst |z| = \(z), critical \(critical)")
        // Control: Householder QR of a Gaussian matrix *without* the sign fix. LAPACK's first
        // reflector makes Q_11 = -|G_11| / |G_1| < 0 always (mean -E sqrt(Beta(1/2, 2)) = -0.375,
        // 119 standard errors of sqrt(1 / (d N))): the missing sign fix is rejected.
        var control = RandomStream(seed: 604)
        let unfixed = try (0..<Self.draws).map { _ in
            try Matrix(rows: d, columns: d, elements: control.normals(d * d)).qrDecomposition().q
        }
        #expect(worstZ(unfixed) > critical)
    }
}
