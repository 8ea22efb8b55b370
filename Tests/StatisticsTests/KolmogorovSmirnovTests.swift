import Testing
import Statistics
import Randomness

/// Reference values: scipy 1.17.1 `scipy.special.kolmogorov(λ)` and `scipy.stats.kstest`.
struct KolmogorovSmirnovTests {
    @Test func kolmogorovSurvivalMatchesScipy() {
        let table: [(Double, Double)] = [
            (0.3, 0.9999906941986655), (0.5, 0.9639452436648751), (0.8, 0.5441424115741981),
            (1.0, 0.26999967167735456), (1.36, 0.049485876755377876), (2.0, 0.0006709252557796953),
        ]
        // 1e-13 relative: alternating series of exp terms, each to ~1 ulp, a few terms summed,
        // plus cancellation in 1 − sum for small λ (≤ 1 ulp of 1, relative to ≥ 9e-6 → 2.5e-11
        // at λ = 0.3, which is therefore checked absolutely at 1e-15).
        for (lambda, value) in table {
            #expect(isClose(KolmogorovSmirnov.kolmogorovSurvival(lambda), value, relative: 1e-13, absolute: 1e-15),
                    "K(\(lambda))")
        }
    }

    @Test func statisticMatchesScipyKstest() throws {
        // scipy.stats.kstest([0.1, 0.5, 0.9, 0.3, 0.77], "uniform").statistic = 0.17000000000000004
        let d = try KolmogorovSmirnov.statistic([0.1, 0.5, 0.9, 0.3, 0.77]) { min(max($0, 0), 1) }
        #expect(isClose(d, 0.17, relative: 1e-15))
    }

    @Test func dkwRadiusFormula() throws {
        // √(ln(2/0.05)/(2·1000)) = 0.04294694083467376 (python3: math.sqrt(math.log(40)/2000)).
        #expect(isClose(try KolmogorovSmirnov.dkwRadius(sampleSize: 1000, alpha: 0.05), 0.04294694083467376, relative: 1e-15))
        #expect(throws: StatisticsError.self) { try KolmogorovSmirnov.dkwRadius(sampleSize: 0, alpha: 0.05) }
    }

    @Test func uniformSamplePassesAndShiftedSampleFails() throws {
        // Deterministic given the seed. Under H0 the p-value is uniform, so a false fail at
        // level 1e-6 has probability 1e-6; a shift of 0.1 with n = 5000 gives D ≈ 0.1 and
        // √n·D ≈ 7, p ≈ 1e-40: a broken statistic or p-value would be caught either way.
        var stream = RandomStream(seed: 2024).child("ks")
        let sample = (0..<5000).map { _ in stream.uniform() }
        let uniform: (Double) -> Double = { min(max($0, 0), 1) }
        let d0 = try KolmogorovSmirnov.statistic(sample, cdf: uniform)
        #expect(try KolmogorovSmirnov.asymptoticPValue(statistic: d0, sampleSize: 5000) > 1e-6)
        let shifted = sample.map { min($0 + 0.1, 1) }
        let d1 = try KolmogorovSmirnov.statistic(shifted, cdf: uniform)
        #expect(try KolmogorovSmirnov.asymptoticPValue(statistic: d1, sampleSize: 5000) < 1e-6)
    }
}
