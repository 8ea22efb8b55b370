import Testing
import Statistics
import Randomness

struct RunningMomentsTests {
    @Test func knownMeanAndVariance() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x−5)² = 32, unbiased variance 32/7 (exact arithmetic).
        let m = RunningMoments([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(m.count == 8)
        #expect(m.mean == 5)
        // 4 ulps: eight Welford updates, each exact or off by at most half an ulp.
        #expect(isClose(m.variance, 32.0 / 7, relative: 4 * Double.ulpOfOne))
        #expect(m.minimum == 2 && m.maximum == 9)
    }

    @Test func mergeEqualsSequentialAndIsDeterministic() {
        var stream = RandomStream(seed: 7)
        let values = (0..<1000).map { _ in stream.normal() * 3 + 10 }
        let whole = RunningMoments(values)
        var merged = RunningMoments()
        for shard in stride(from: 0, to: 1000, by: 137) {
            merged.merge(RunningMoments(values[shard..<min(shard + 137, 1000)]))
        }
        // Chan's merge and Welford differ only by rounding: 1e-13 relative is ~500 ulps,
        // the accumulated error of 1000 updates of a mean of magnitude 10.
        #expect(merged.count == 1000)
        #expect(isClose(merged.mean, whole.mean, relative: 1e-13))
        #expect(isClose(merged.variance, whole.variance, relative: 1e-12))
        // Same merge order, same bits.
        var again = RunningMoments()
        for shard in stride(from: 0, to: 1000, by: 137) {
            again.merge(RunningMoments(values[shard..<min(shard + 137, 1000)]))
        }
        #expect(again == merged)
    }
}
