import Foundation
import Randomness
import Statistics
import Testing

/// The normal sampler's output distribution. Each test states its false-fail rate at a random
/// seed (`perTestAlpha`) and runs the same decision on a deliberately wrong sampler (negative
/// control) whose effect size it states, to show the test has the power to see that bug.
@Suite struct NormalDistributionTests {
    static let sampleSize = 1_000_000

    /// The DKW(M) decision: reject when sup |F_n - Phi| exceeds the radius at which
    /// P(D_n > radius) <= alpha for every n (conservative; no asymptotics).
    func kolmogorovRejects(_ sample: [Double]) throws -> Bool {
        let d = try KolmogorovSmirnov.statistic(sample, cdf: Normal.cdf)
        return d > (try KolmogorovSmirnov.dkwRadius(sampleSize: sample.count, alpha: perTestAlpha))
    }

    @Test func kolmogorovSmirnovAgainstPhi() throws {
        let sample = sampledNormals(Self.sampleSize)
        #expect(try !kolmogorovRejects(sample))
        // Control: a shift of 0.02 moves the cdf by up to 0.02 phi(0) = 0.008, three times the
        // DKW radius 0.0027 at n = 1e6, alpha = 1e-6: rejected with probability ~1.
        #expect(try kolmogorovRejects(sample.map { $0 + 0.02 }))
    }

    @Test func momentsMatchTheStandardNormal() throws {
        let sample = sampledNormals(Self.sampleSize, seed: distributionSeed &+ 1)
        // Four two-sided z-tests, Bonferroni: each at alpha / 4.
        let critical = try Normal.upperQuantile(perTestAlpha / 8)  // 5.16
        func rejects(_ z: (mean: Double, variance: Double, skewness: Double, kurtosis: Double)) -> [Bool] {
            [z.mean, z.variance, z.skewness, z.kurtosis].map { abs($0) > critical }
        }
        let z = momentZScores(sample)
        #expect(rejects(z) == [false, false, false, false], "z-scores \(z)")
        // Controls: a 0.007 shift is 7 standard errors of the mean; a 1.005 scale moves the
        // variance by 0.01 = 7.1 standard errors; a skewed sample (z + 0.01 (z^2 - 1)) has
        // skewness 0.06 = 24 standard errors. Each must be rejected on its own moment.
        #expect(rejects(momentZScores(sample.map { $0 + 0.007 }))[0])
        #expect(rejects(momentZScores(sample.map { $0 * 1.005 }))[1])
        #expect(rejects(momentZScores(sample.map { $0 + 0.01 * ($0 * $0 - 1) }))[2])
        // Kurtosis control: the sample with its tails beyond R removed (a sampler that never
        // reaches its tail path) has excess kurtosis -0.038, 7.8 standard errors at n = 1e6
        // (truncated-normal moments, computed by quadrature offline).
        let cut = sample.filter { abs($0) <= NormalSampler.tailStart }
        #expect(rejects(momentZScores(cut))[3])
    }

    @Test func tailFrequenciesMatchTheExactNormalTail() throws {
        // 1e7 draws. Thresholds: R (the ziggurat's tail start, where the exponential tail
        // sampler takes over), 4 and 5 sigma. Expected counts: 2580, 633, 5.7. Three exact
        // binomial tests plus three sign tests (each tail half positive), Bonferroni over six.
        // Power: the R and 4 sigma counts detect an error of about 10% and 21% in the tail mass
        // (at 50% power); at 5 sigma only a gross excess (about 4x) is detectable with 1e7 draws. The shape of the
        // tail is tested with more power in `theTailHasTheTruncatedNormalShape`.
        let draws = 10_000_000
        let thresholds = [NormalSampler.tailStart, 4, 5]
        let alpha = perTestAlpha / 6
        func rejections(_ tally: (counts: [Int], positive: [Int], beyondR: [Double])) throws -> [Bool] {
            var result: [Bool] = []
            for (k, t) in thresholds.enumerated() {
                result.append(try binomialRejects(successes: tally.counts[k], trials: draws,
                                                  probability: twoSidedTail(t), alpha: alpha))
                result.append(tally.counts[k] > 0
                    ? try binomialRejects(successes: tally.positive[k], trials: tally.counts[k], probability: 0.5, alpha: alpha)
                    : false)
            }
            return result
        }
        let tally = tailCounts(draws, above: thresholds)
        #expect(try rejections(tally) == [Bool](repeating: false, count: 6), "counts \(tally.counts), positive \(tally.positive)")

        // Control 1: the tail path never taken (tail draws replaced by 0, as in a sampler
        // whose base-layer branch never reaches the tail): no draw beyond R, rejected on the R count.
        let noTail = tailCounts(draws, above: thresholds) { abs($0) > NormalSampler.tailStart ? 0 : $0 }
        #expect(try rejections(noTail)[0])
        // Control 2: every tail draw folded to the positive side (a sign bug in the tail path):
        // rejected by the sign test beyond R.
        let oneSided = tailCounts(draws, above: thresholds) { abs($0) > NormalSampler.tailStart ? abs($0) : $0 }
        #expect(try rejections(oneSided)[1])
    }

    @Test func theTailHasTheTruncatedNormalShape() throws {
        // The draws beyond R (about 5200 of 2e7) against the normal tail truncated at R:
        // (a) KS (DKW) against P(|Z| <= t | |Z| > R) = 1 - erfc(t / sqrt 2) / erfc(R / sqrt 2),
        //     radius 0.038 at alpha / 2;
        // (b) a z-test of their mean against the exact truncated mean m = phi(R) / Q(R) = 3.897,
        //     standard deviation sqrt(1 + R m - m^2) = 0.231, at alpha / 2.
        let r = NormalSampler.tailStart
        let conditional: (Double) -> Double = { t in 1 - twoSidedTail(t) / twoSidedTail(r) }
        let truncatedMean = Normal.density(r) / Normal.survival(r)
        let truncatedSD = (1 + r * truncatedMean - truncatedMean * truncatedMean).squareRoot()
        let critical = try Normal.upperQuantile(perTestAlpha / 4)
        func rejections(_ tail: [Double]) throws -> [Bool] {
            let d = try KolmogorovSmirnov.statistic(tail, cdf: conditional)
            let radius = try KolmogorovSmirnov.dkwRadius(sampleSize: tail.count, alpha: perTestAlpha / 2)
            let mean = tail.reduce(0, +) / Double(tail.count)
            let z = (mean - truncatedMean) / (truncatedSD / Double(tail.count).squareRoot())
            return [d > radius, abs(z) > critical]
        }
        let tail = tailCounts(20_000_000, above: [], seed: distributionSeed &+ 2).beyondR
        #expect(tail.count > 4000)
        #expect(try rejections(tail) == [false, false])
        // Control: R + Exp(rate R), the tail's proposal without its rejection step (the classic
        // tail bug). Its mean is R + 1/R = 3.928, 0.031 above the truncated normal's: z = 9.6
        // at 5200 draws (its own sd is 1.18x larger, so the power is still ~1). Its cdf is only
        // 0.037 from the truncated normal's, inside the KS radius: KS alone would miss it.
        var stream = RandomStream(seed: 4)
        let proposal = tail.map { _ in r - log(stream.openUniform()) / r }
        #expect(try rejections(proposal)[1])
    }
}
