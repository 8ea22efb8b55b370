import Testing
import Statistics

/// Reference values: scipy 1.17.1 `scipy.stats.binomtest(k, n).proportion_ci(conf, method)`.
struct BinomialIntervalTests {
    // 1e-12 relative: the Clopper–Pearson ends are inverse-beta values (checked to 1e-12 in
    // SpecialFunctionTests); Wilson is closed-form in Φ⁻¹, good to ~10 ulps, far inside 1e-12.
    @Test func clopperPearsonMatchesScipy() throws {
        let a = try BinomialInterval.clopperPearson(successes: 5, trials: 20, confidence: 0.95)
        #expect(isClose(a.lower, 0.08657146910143455, relative: 1e-12))
        #expect(isClose(a.upper, 0.49104587170795755, relative: 1e-12))
        let b = try BinomialInterval.clopperPearson(successes: 0, trials: 50, confidence: 0.99)
        #expect(b.lower == 0)
        #expect(isClose(b.upper, 0.1005450833748586, relative: 1e-12))
    }

    @Test func wilsonMatchesScipy() throws {
        let a = try BinomialInterval.wilson(successes: 5, trials: 20, confidence: 0.95)
        #expect(isClose(a.lower, 0.11186170140766571, relative: 1e-12))
        #expect(isClose(a.upper, 0.468700877618744, relative: 1e-12))
        let b = try BinomialInterval.wilson(successes: 950, trials: 1000, confidence: 0.9)
        #expect(isClose(b.lower, 0.9373997965803907, relative: 1e-12))
        #expect(isClose(b.upper, 0.960171784503825, relative: 1e-12))
    }

    @Test func badCountsAreTypedErrors() {
        #expect(throws: StatisticsError.self) { try BinomialInterval.wilson(successes: 5, trials: 3, confidence: 0.9) }
        #expect(throws: StatisticsError.self) { try BinomialInterval.clopperPearson(successes: 1, trials: 0, confidence: 0.9) }
    }
}
