import Foundation
import Testing
import PropertyEngine

/// Verdicts depend only on the seed: not on worker count; replay reproduces failures exactly.
struct DeterminismTests {
    static let failing = UniversalProperty(
        "sum of two below 150",
        generator: Gen.zip(Gen.integers(in: 0...100).observed(as: "a"), Gen.integers(in: 0...100))
    ) { pair, log in
        log.event(pair.0 > pair.1 ? "a > b" : "a ≤ b")
        return Check.atMost(Double(pair.0 + pair.1), 150, "a + b")
    }

    static let statistical = StatisticalProperty(
        "coin 0.9 against 0.88", generator: Gen.booleans(probability: 0.9).labelled { $0 ? "heads" : "tails" },
        claim: .rate(atLeast: 0.88, indifference: 0.03), errors: ErrorRates(falseFail: 0.01, falsePass: 0.01),
        budget: .trials(3_000)) { heads, _ in heads }

    @Test func resultsAreIdenticalForOneTwoAndThreeWorkers() {
        for property in [Self.failing, Self.statistical] as [any Property] {
            let results = [1, 2, 3].map { property.run(fixedSettings(seed: 7, workers: $0)).withoutTiming() }
            #expect(results[0] == results[1])
            #expect(results[0] == results[2])
        }
    }

    @Test func replayReproducesTheCounterexampleBitForBit() throws {
        let first = Self.failing.run(fixedSettings(seed: 11))
        let c = try #require(first.counterexample)
        #expect(first.replayCommand.contains("PROPERTY_SEED=11"))
        #expect(first.replayCommand.contains("PROPERTY_REPLAY='sum of two below 150:\(c.trial)'"))
        // Parse the printed environment back, as a user pasting the command would.
        var settings = try Settings.fromEnvironment([
            "PROPERTY_SEED": "11", "PROPERTY_REPLAY": "sum of two below 150:\(c.trial)", "PROPERTY_WORKERS": "1",
        ])
        settings.testFilter = nil
        let replayed = Self.failing.run(settings)
        #expect(replayed.counterexample == c)
        #expect(replayed.decision == .fails)
    }

    @Test func replayTemplateIsConfigurable() {
        var settings = fixedSettings(seed: 5)
        settings.replayTemplate = "attention-pca verify --claim {property} --seed {seed} --trial {trial}"
        #expect(settings.replayCommand(property: "C3", trial: 17) == "attention-pca verify --claim C3 --seed 5 --trial 17")
    }

    @Test func coverageReportsEventsAndFeatures() throws {
        let r = Self.statistical.run(fixedSettings())
        let labels = r.coverage.events.map(\.label)
        #expect(labels == ["heads", "tails"])
        #expect(r.coverage.events.map(\.count).reduce(0, +) == r.trials)
        let f = Self.failing.run(fixedSettings())
        let a = try #require(f.coverage.features.first { $0.name == "a" })
        #expect(a.minimum >= 0 && a.maximum <= 100 && a.count == f.trials)
        #expect(f.summary.contains("coverage"))
    }

    @Test func resultsRoundTripThroughJSON() throws {
        let r = Self.failing.run(fixedSettings())
        let decoded = try JSONDecoder().decode(PropertyResult.self, from: JSONEncoder().encode(r))
        #expect(decoded == r)
    }

    @Test func differentSeedsGiveDifferentTrials() {
        // Guards against a trial loop that ignores the seed: the first counterexamples differ.
        let a = Self.failing.run(fixedSettings(seed: 1)).counterexample?.originalInstance
        let b = Self.failing.run(fixedSettings(seed: 2)).counterexample?.originalInstance
        #expect(a != nil && a != b)
    }
}
