import Statistics
import Testing

/// Welch's test and the t interval against SciPy 1.x (`scipy.stats.ttest_ind(a, b,
/// equal_var=False)` and `scipy.stats.t.interval(0.99, n - 1, loc=mean, scale=sem)`).
struct WelchTestTests {
    static let a = [0.91, 0.95, 0.93, 0.97, 0.92], b = [0.99, 0.98, 0.995, 0.985]

    @Test func welchMatchesSciPy() throws {
        let test = try WelchTest(Self.a, Self.b)
        #expect(abs(test.t - -4.580417462040511) < 1e-10)
        #expect(abs(test.degreesOfFreedom - 4.700111582144953) < 1e-9)
        #expect(abs(test.pValue - 0.006917989141940362) < 1e-8)
    }

    @Test func intervalMatchesSciPy() throws {
        let interval = try MeanInterval(Self.a, confidence: 0.99)
        #expect(abs(interval.lower - 0.8864123806601951) < 1e-9)
        #expect(abs(interval.upper - 0.9855876193398048) < 1e-9)
    }

    @Test func degenerateAndInvalidSamples() throws {
        #expect(try WelchTest([1, 1], [1, 1]).pValue == 1)
        #expect(try WelchTest([1, 1], [2, 2]).pValue == 0)
        #expect(throws: StatisticsError.self) { try WelchTest([1], [1, 2]) }
        #expect(throws: StatisticsError.self) { try MeanInterval([1, 2], confidence: 1) }
    }
}
