import Foundation
import Testing
import PropertyEngine

/// The statistical engine's error rates, measured. A coin with known P(heads) = p stands in
/// for a property whose true pass rate is p.
struct StatisticalTests {
    static let claim = Claim.rate(atLeast: 0.9, indifference: 0.05)
    static let errors = ErrorRates(falseFail: 0.05, falsePass: 0.05)

    static func coin(_ p: Double, budget: Int = 5_000) -> StatisticalProperty<Bool> {
        StatisticalProperty("coin \(p)", generator: Gen.booleans(probability: p), claim: claim,
                            errors: errors, budget: .trials(budget)) { heads, _ in heads }
    }

    /// Runs the coin under `seeds` different root seeds; returns the count of each decision.
    static func decisions(p: Double, seeds: Int) -> [Decision: Int] {
        var counts: [Decision: Int] = [:]
        for s in 0..<seeds {
            counts[coin(p).run(fixedSettings(seed: 1_000_003 &* UInt64(s + 1))).decision, default: 0] += 1
        }
        return counts
    }

    static var slow: Bool { ProcessInfo.processInfo.environment["PROPERTY_SLOW_TESTS"] == "1" }

    @Test func trueRateAtTheThresholdDoesNotFlake() {
        // Worst case for false fails: true rate exactly at the threshold 0.9. The engine states
        // P(fail) ≤ α = 0.05. With N = 200 seeds (2 000 with PROPERTY_SLOW_TESTS=1), fails ≤ k
        // where P(Binomial(N, 0.05) > k) ≤ 1e-6 (scipy.stats.binom.sf: k = 27 for N = 200,
        // k = 149 for N = 2 000): this engine test's own false-fail rate is ≤ 1e-6, and it is
        // deterministic given the seeds.
        let n = Self.slow ? 2_000 : 200
        let counts = Self.decisions(p: 0.9, seeds: n)
        let fails = counts[.fails, default: 0]
        print("false-fail: \(fails)/\(n) at p = threshold 0.9, α = 0.05; decisions \(counts)")
        #expect(fails <= (Self.slow ? 149 : 27))
    }

    @Test func rateJustBelowTheThresholdIsRejectedWithStatedPower() {
        // True rate at the alternative 0.85 = 0.9 − δ: P(pass) ≤ β = 0.05, and the budget
        // (5 000 ≫ the ≈250 expected trials) makes inconclusive negligible, so the power is
        // ≥ 1 − β. Non-fails ≤ k with P(Binomial(N, 0.05) > k) ≤ 1e-6 (k = 27 / 149 as above).
        let n = Self.slow ? 2_000 : 200
        let counts = Self.decisions(p: 0.85, seeds: n)
        let notFails = n - counts[.fails, default: 0]
        print("power: \(counts[.fails, default: 0])/\(n) rejected at p = 0.85 (β = 0.05); decisions \(counts)")
        #expect(notFails <= (Self.slow ? 149 : 27))
    }

    @Test func clearlyTrueAndFalseRatesAreDecidedQuickly() {
        let good = Self.coin(0.99).run(fixedSettings())
        #expect(good.decision == .holds)
        #expect(good.falseFailRate == 0.05 && good.falsePassRate == 0.05)
        let bad = Self.coin(0.6).run(fixedSettings())
        #expect(bad.decision == .fails)
        #expect(!bad.failingTrials.isEmpty)
        // The test stops as soon as it decides: far fewer trials than the budget.
        #expect(good.trials < 1_000 && bad.trials < 1_000)
        #expect(bad.interval?.method == "Clopper–Pearson" && bad.interval?.confidence == 0.95)
    }

    @Test func inconclusiveWhenTheBudgetRunsOut() {
        // 10 trials cannot move ln LR to ±ln 20 ≈ ±3.0 (each trial moves it by ≤ 0.41).
        let r = Self.coin(0.9, budget: 10).run(fixedSettings())
        #expect(r.decision == .inconclusive)
        #expect(r.trials == 10)
        #expect(r.warnings.contains { $0.contains("no verdict within the budget of 10 trials") })
    }

    @Test func aDecidedTestCarriesNoBudgetWarning() {
        // A small budget that the test beat: the pre-run expectation did not come true, so it is not said.
        let r = Self.coin(0.999, budget: 100).run(fixedSettings())
        #expect(r.decision == .holds)
        #expect(!r.warnings.contains { $0.contains("budget") })
    }

    @Test func boundedMeanClaimsAreDecidedBothWays() {
        // Uniform[0,1] outcomes, true mean 0.5; Hoeffding σ² = 1/4. Each verdict is wrong with
        // probability ≤ α = β = 1e-3 (standard), and fixed by the seed.
        let uniform = Gen.reals(in: 0...1)
        let holds = StatisticalProperty("mean ≥ 0.45", generator: uniform,
                                        claim: .mean(atLeast: 0.45, indifference: 0.05, bounds: 0...1),
                                        budget: .trials(20_000)) { x, _ in x }
        let fails = StatisticalProperty("mean ≥ 0.55", generator: uniform,
                                        claim: .mean(atLeast: 0.55, indifference: 0.05, bounds: 0...1),
                                        budget: .trials(20_000)) { x, _ in x }
        let a = holds.run(fixedSettings()), b = fails.run(fixedSettings())
        #expect(a.decision == .holds)
        #expect(b.decision == .fails)
        #expect(a.interval?.method == "Student t")
    }

    @Test func outcomeOutsideDeclaredBoundsIsAnError() {
        let p = StatisticalProperty("bad outcome", generator: Gen.reals(in: 0...1),
                                    claim: .mean(atLeast: 0.5, indifference: 0.1, bounds: 0...1),
                                    budget: .trials(100)) { x, _ in x + 2 }
        let r = p.run(fixedSettings())
        #expect(r.decision == .error)
        #expect(r.warnings.contains { $0.contains("outside the claim's bounds") })
    }

    @Test func invalidClaimIsATypedErrorNotACrash() {
        let p = StatisticalProperty("bad claim", generator: Gen.booleans(), claim: .rate(atLeast: 1.0, indifference: 0.1),
                                    budget: .trials(10)) { b, _ in b }
        let r = p.run(fixedSettings())
        #expect(r.decision == .error)
        #expect(r.warnings.first?.contains("rate threshold") == true)
        #expect(throws: PropertyEngineError.self) { try SequentialTest(claim: Self.claim, errors: ErrorRates(falseFail: 0, falsePass: 0.1)) }
    }

    @Test func aThresholdOutsideTheStatisticsBoundsIsRefused() {
        // Outcomes in [0, 4] are always <= 10: "mean <= 10" would hold without evidence.
        #expect(throws: PropertyEngineError.self) { try Claim.mean(atMost: 10, indifference: 1, bounds: 0...4).validate() }
        #expect(throws: PropertyEngineError.self) { try Claim.mean(atLeast: -1, indifference: 0.5, bounds: 0...4).validate() }
        #expect(throws: PropertyEngineError.self) { try Claim.mean(atMost: 3.5, indifference: 1, bounds: 0...4).validate() }
        #expect(throws: Never.self) { try Claim.mean(atMost: 2, indifference: 1, bounds: 0...4).validate() }
    }

    @Test func runLevelErrorControlSplitsAlpha() throws {
        let props: [any Property] = [Self.coin(0.99), Self.coin(0.98),
                                     UniversalProperty("trivial", generator: Gen.integers(in: 0...3)) { _ in true }]
        let report = try PropertySuite.run(props, familyFalseFailRate: 0.01, settings: fixedSettings())
        #expect(report.perPropertyFalseFailRate == 0.005)
        #expect(report.results.map(\.falseFailRate) == [0.005, 0.005, 0])
        #expect(report.decision == .holds)
        let decoded = try JSONDecoder().decode(RunReport.self, from: JSONEncoder().encode(report))
        #expect(decoded == report)
    }
}
