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
        // Kurtosis control: the sample with |z| > 3.5 removed (a sampler that never reaches its
        // outer layers or its tail) has excess kurtosis -0.0573, 11.7 standard errors at n = 1e6
        // (truncated-normal moments, computed by quadrature offline). Cutting only beyond
        // R = 4.04 would move it by 2.5 standard errors, below the critical 5.16: the tail is
        // tested on its own below.
        let cut = sample.filter { abs($0) <= 3.5 }
        #expect(rejects(momentZScores(cut))[3])
    }

    @Test func tailFrequenciesMatchTheExactNormalTail() throws {
        // 1e7 draws. Thresholds: R = 4.0388 (the ziggurat's tail start, where the exponential
        // tail sampler takes over), 4 and 5 sigma. Expected counts: 537, 633, 5.7. Three exact
        // binomial tests plus three sign tests (each tail half positive), Bonferroni over six.
        // Power: the R and 4 sigma counts detect an error of about 22% and 20% in the tail mass
        // (at 50% power: the critical z 5.1 over sqrt(count)); at 5 sigma only a gross excess
        // (about 4x) is detectable with 1e7 draws. The tail's shape, out beyond 6 sigma, is
        // tested on the tail sampler itself in `theTailHasTheTruncatedNormalShape`.
        let draws = 10_000_000
        let thresholds = [NormalSampler.tailStart, 4, 5]
        let alpha = perTestAlpha / 6
        func rejections(_ tally: (counts: [Int], positive: [Int])) throws -> [Bool] {
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
        // The tail sampler alone (`NormalSampler.tailDraws`: |Z| given |Z| > R, the values the
        // generator returns beyond R), 4e6 draws; seeing 6 sigma through the whole generator
        // would take 1e10 normals. Three decisions at alpha / 3 each:
        // (a) KS (DKW) against P(|Z| <= t | |Z| > R) = 1 - erfc(t / sqrt 2) / erfc(R / sqrt 2),
        //     radius 1.4e-3;
        // (b) a z-test of their mean against the exact truncated mean m = phi(R) / Q(R) = 4.2627,
        //     standard deviation sqrt(1 + R m - m^2) = 0.2144;
        // (c) the count beyond 6 sigma against its exact probability Q(6) / Q(R) = 3.673e-5
        //     (expected 147): an exact (Clopper-Pearson) binomial test, which detects an error
        //     of about 41% in the far tail's mass at 50% power. With the count of draws beyond
        //     R tested in `tailFrequenciesMatchTheExactNormalTail`, this checks
        //     P(|Z| > 6) = P(|Z| > R) P(|Z| > 6 | |Z| > R) of the generator.
        let r = NormalSampler.tailStart
        let count = 4_000_000
        let conditional: (Double) -> Double = { t in 1 - twoSidedTail(t) / twoSidedTail(r) }
        let truncatedMean = Normal.density(r) / Normal.survival(r)
        let truncatedSD = (1 + r * truncatedMean - truncatedMean * truncatedMean).squareRoot()
        let beyondSix = Normal.survival(6) / Normal.survival(r)
        let alpha = perTestAlpha / 3
        let critical = try Normal.upperQuantile(alpha / 2)
        func rejections(_ tail: [Double]) throws -> [Bool] {
            let d = try KolmogorovSmirnov.statistic(tail, cdf: conditional)
            let radius = try KolmogorovSmirnov.dkwRadius(sampleSize: tail.count, alpha: alpha)
            let mean = tail.reduce(0, +) / Double(tail.count)
            let z = (mean - truncatedMean) / (truncatedSD / Double(tail.count).squareRoot())
            let far = tail.filter { $0 > 6 }.count
            return [d > radius, abs(z) > critical,
                    try binomialRejects(successes: far, trials: tail.count, probability: beyondSix, alpha: alpha)]
        }
        var stream = RandomStream(seed: distributionSeed &+ 2)
        let tail = NormalSampler.tailDraws(count, from: &stream)
        #expect(tail.allSatisfy { $0 > r })
        #expect(try rejections(tail) == [false, false, false], "beyond 6: \(tail.filter { $0 > 6 }.count)")
        // Control 1: R + Exp(rate R), the tail's proposal without its rejection step (the
        // classic tail bug). Its mean is R + 1/R = 4.2864, 0.0238 above the truncated normal's:
        // z = 222 at 4e6 draws; and it puts exp(-R (6 - R)) = 3.6e-4 of its mass beyond 6,
        // ten times the exact 3.7e-5 (about 1450 draws instead of 147).
        var proposalStream = RandomStream(seed: 4)
        let proposal = (0..<count).map { _ in r - log(proposalStream.openUniform()) / r }
        #expect(try rejections(proposal)[1...2] == [true, true])
        // Control 2: a tail cut short at 6 sigma (draws beyond 6 replaced by draws in (R, 6)):
        // no draw beyond 6 where 147 are expected, P(0 | 147) = e^-147.
        let cut = tail.map { $0 > 6 ? r + ($0 - r).truncatingRemainder(dividingBy: 6 - r) : $0 }
        #expect(try rejections(cut)[2])
    }
}
