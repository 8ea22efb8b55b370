import Foundation
import PropertyEngine
import Randomness
import Statistics
import Testing

/// Power analysis (`Survey`, `PowerAnalysis`, the sequential test's operating characteristic)
/// and the duplicate-trial health check.
struct PowerAndDuplicateTests {
    @Test("the exact operating characteristic agrees with simulating the sequential test")
    func exactOperatingCharacteristicMatchesSimulation() throws {
        let test = try SequentialTest(claim: .rate(atLeast: 0.75, indifference: 0.25), errors: .standard)
        var stream = RandomStream(seed: 5)
        for p in [0.3, 0.5, 0.6] {
            let exact = test.failProbability(rate: p, within: 40)
            let runs = 20_000
            var fails = 0
            for _ in 0..<runs {
                var t = test
                for _ in 0..<40 where t.state == .undecided { t.observe(stream.uniform() < p ? 1 : 0) }
                if t.state == .fails { fails += 1 }
            }
            // Binomial standard error of the simulated rate; 5 of them: a false failure < 6e-7.
            let se = (exact * (1 - exact) / Double(runs)).squareRoot()
            #expect(abs(Double(fails) / Double(runs) - exact) <= 5 * se + 1e-12, "p = \(p): exact \(exact), simulated \(Double(fails) / Double(runs))")
        }
        // Monotone in the effect, and zero where the walk cannot reach the fail boundary in time.
        #expect(test.failProbability(rate: 0.2, within: 40) > test.failProbability(rate: 0.5, within: 40))
        #expect(test.failProbability(rate: 0.0, within: 5) == 0, "5 failures give ln LR 5 ln 2 < ln 1000")
        #expect(test.failProbability(rate: 0.0, within: 10) == 1)
    }

    @Test("universal power is 1 - (1 - q)^budget at the lower confidence bound of the counterexample rate")
    func universalPower() throws {
        // Fails on multiples of 4 among 0...99: q = 1/4.
        let p = UniversalProperty("multiples of four fail", generator: Gen.integers(in: 0...99), budget: .trials(30)) { $0 % 4 != 0 }
        let survey = try #require(p.survey(trials: nil, settings: fixedSettings(seed: 8)))
        #expect(survey.records.count == 30)
        let estimate = try #require(PowerAnalysis.estimate(survey))
        let q = Double(survey.counterexamples) / 30
        #expect(estimate.effect == q)
        let lower = try BinomialInterval.clopperPearson(successes: survey.counterexamples, trials: 30, confidence: 0.9).lower
        #expect(estimate.effectBound == lower)
        #expect(abs(estimate.power - (1 - pow(1 - lower, 30))) <= 1e-12)
        #expect(estimate.power < estimate.powerAtEffect)
    }

    @Test("mean power by resampling: a clearly wrong mean is rejected, the claimed one almost never")
    func meanPower() throws {
        let claim = Claim.mean(atMost: 0.5, indifference: 0.2, bounds: 0...1)
        let wrong = StatisticalProperty("mean near 0.9", generator: Gen.reals(in: 0.8...1), claim: claim, budget: .trials(60)) { x, _ in x }
        let right = StatisticalProperty("mean near 0.3", generator: Gen.reals(in: 0.2...0.4), claim: claim, budget: .trials(60)) { x, _ in x }
        let wrongSurvey = try #require(wrong.survey(trials: nil, settings: fixedSettings()))
        let rightSurvey = try #require(right.survey(trials: nil, settings: fixedSettings()))
        let strong = try #require(PowerAnalysis.estimate(wrongSurvey))
        let none = try #require(PowerAnalysis.estimate(rightSurvey))
        #expect(strong.power >= 0.999, "\(strong)")
        #expect(none.power <= 0.001, "\(none)")
        #expect(strong.effectBound < strong.effect, "the bound moves toward the claim (smaller means)")
    }

    @Test("trials that share their random stream are a health failure naming both trials; independent ones are not")
    func sharedStreamsAreDetected() {
        let p = UniversalProperty("any vector", generator: Gen.gaussianVectors(dimension: 3), budget: .trials(50)) { _ in true }
        var planted = fixedSettings()
        planted.plantedStreamIndex = { $0 & ~1 }
        let caught = p.run(planted)
        #expect(caught.decision == .error)
        #expect(caught.warnings.contains { $0.contains("trials 0 and 1 drew the same choice sequence") }, "\(caught.warnings)")
        #expect(caught.failedHealthCheck == .sharedRandomness)
        let clean = p.run(fixedSettings())
        #expect(clean.decision == .holds)
        // A small discrete space repeats by chance: 50 draws from 0...9 must not be judged.
        let small = UniversalProperty("digits", generator: Gen.integers(in: 0...9), budget: .trials(50)) { _ in true }
        #expect(small.run(fixedSettings()).decision == .holds)
        // The statistical path reports it the same way.
        let rate = StatisticalProperty("rate", generator: Gen.gaussianVectors(dimension: 3), claim: .rate(atLeast: 0.5, indifference: 0.2),
                                       budget: .trials(50)) { _, _ in true }
        #expect(rate.run(planted).decision == .error)
    }
}
