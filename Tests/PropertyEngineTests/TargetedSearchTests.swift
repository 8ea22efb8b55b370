import Foundation
import PropertyEngine
import Testing

/// Targeted search (`UniversalProperty.targeting(share:)`, `TrialLog.target`): it finds a
/// failure that random draws reach with probability about 1% per run, its result depends only on
/// the seed, and it stays off unless asked for.
struct TargetedSearchTests {
    /// Fails only for x >= 0.9999: 100 random trials hit that with probability 1 - 0.9999^100, about 1%.
    static func rareCorner(share: Double) -> UniversalProperty<Double> {
        UniversalProperty("x stays below 0.9999", generator: Gen.reals(in: 0...1), budget: .trials(100)) { x, log in
            log.target("x", x)
            return Check.atMost(x, 0.9999, "x")
        }.targeting(share: share)
    }

    @Test func randomTrialsMissTheCornerThatTargetedSearchFinds() throws {
        for seed: UInt64 in 1...4 {
            let random = Self.rareCorner(share: 0).run(fixedSettings(seed: seed))
            #expect(random.decision == .holds, "seed \(seed): the random trials alone should miss it (as they do with probability 0.99)")
            #expect(random.targetedSearch == nil)
            let targeted = Self.rareCorner(share: 1).run(fixedSettings(seed: seed))
            #expect(targeted.decision == .fails, "seed \(seed): \(targeted.summary)")
            let search = try #require(targeted.targetedSearch)
            #expect(search.failingStep != nil && search.best >= search.randomBest)
            #expect(targeted.warnings.contains { $0.contains("found by targeted search") })
            // A hill-climbed instance is reproduced by rerunning the property, not by replaying a trial index.
            #expect(!targeted.replayCommand.contains("REPLAY"), "\(targeted.replayCommand)")
            // It is shrunk like any counterexample: toward the smallest failing x.
            let c = try #require(targeted.counterexample)
            #expect(c.check.measurements.first.map { $0.measured >= 0.9999 && $0.measured < 0.99995 } == true, "\(c.check)")
        }
    }

    @Test func targetedSearchDependsOnlyOnTheSeed() {
        let results = [1, 2].map { Self.rareCorner(share: 1).run(fixedSettings(seed: 9, workers: $0)).withoutTiming() }
        #expect(results[0] == results[1])
    }

    @Test func aPassingSearchReportsHowFarItClimbed() throws {
        let p = UniversalProperty("x stays below 2", generator: Gen.reals(in: 0...1), budget: .trials(50)) { x, log in
            log.target("x", x)
            return Check.atMost(x, 2, "x")
        }.targeting(share: 0.5)
        let r = p.run(fixedSettings(seed: 3))
        #expect(r.decision == .holds)
        let search = try #require(r.targetedSearch)
        #expect(search.steps == 25 && search.failingStep == nil && search.best >= search.randomBest)
        #expect(r.trials == 50 + 25 - search.rejected)
    }
}
