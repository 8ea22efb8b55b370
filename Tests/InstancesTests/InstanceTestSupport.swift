import Instances
import LinearAlgebra
import Randomness
import Statistics
import TestSupport

/// The per-test false-fail rate at a random seed (Bonferroni inside a test); the seeds are
/// fixed, so the suite itself is deterministic.
let perTestAlpha = 1e-6

/// ||Q^T Q - I||_F by plain loops.
func orthogonalityDefect(_ q: Matrix) -> Double {
    (naiveProduct(q.transposed, q) - Matrix.identity(q.columns)).frobeniusNorm
}

/// Entrywise z-test of a matrix-valued sample mean: for each upper-triangular entry (i, j),
/// z = (mean_ij - expected_ij) / sqrt(variance_ij / N); rejects when any |z| exceeds the
/// two-sided Bonferroni critical value at `alpha` over the d (d + 1) / 2 entries. The sample
/// means of N >= 2000 i.i.d. draws are close to normal (CLT), which is what the test assumes.
struct EntrywiseMeanTest {
    let expected: Matrix
    let variance: Matrix
    let alpha: Double

    /// The largest |z| over the upper triangle and whether it rejects.
    func evaluate(_ draws: [Matrix]) throws -> (maxZ: Double, rejects: Bool) {
        let d = expected.rows
        let n = Double(draws.count)
        var worst = 0.0
        for i in 0..<d {
            for j in i..<d {
                let mean = draws.reduce(0) { $0 + $1[i, j] } / n
                worst = max(worst, abs(mean - expected[i, j]) / (variance[i, j] / n).squareRoot())
            }
        }
        let critical = try Normal.upperQuantile(alpha / Double(d * (d + 1)))  // alpha / (2 * entries)
        return (worst, worst > critical)
    }
}

/// True when the DKW(M) bound rejects "the sample has cdf F" at `alpha`.
func dkwRejects(_ sample: [Double], cdf: (Double) -> Double, alpha: Double = perTestAlpha) throws -> Bool {
    try KolmogorovSmirnov.statistic(sample, cdf: cdf) > (try KolmogorovSmirnov.dkwRadius(sampleSize: sample.count, alpha: alpha))
}
