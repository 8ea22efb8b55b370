import Foundation
import Testing
import PropertyEngine

struct SettingsAndHealthTests {
    @Test func environmentIsParsedAndBadValuesAreTypedErrors() throws {
        let s = try Settings.fromEnvironment(["PROPERTY_PROFILE": "paper", "PROPERTY_SEED": "0x10", "PROPERTY_WORKERS": "3"])
        #expect(s.profile == .paper && s.rootSeed == 16 && s.workers == 3)
        #expect(try Settings.fromEnvironment([:]).rootSeed == Profile.quick.defaultSeed)
        #expect(throws: PropertyEngineError.self) { try Settings.fromEnvironment(["PROPERTY_PROFILE": "fast"]) }
        #expect(throws: PropertyEngineError.self) { try Settings.fromEnvironment(["PROPERTY_SEED": "-3"]) }
        #expect(throws: PropertyEngineError.self) { try Settings.fromEnvironment(["PROPERTY_REPLAY": "name"]) }
        #expect(throws: PropertyEngineError.self) { try Settings.fromEnvironment(["PROPERTY_WORKERS": "0"]) }
    }

    @Test func budgetFollowsTheProfile() {
        let p = UniversalProperty("per-profile budget", generator: Gen.integers(in: 0...9),
                                  budget: Budget(quick: 7, nightly: 13, paper: 29)) { _ in true }
        #expect(p.run(fixedSettings(profile: .quick)).trials == 7)
        #expect(p.run(fixedSettings(profile: .nightly)).trials == 13)
        #expect(p.run(fixedSettings(profile: .paper)).trials == 29)
    }

    @Test func filterRejectsAndHealthCheckFailsWhenNothingPasses() {
        let impossible = Gen.integers(in: 0...9).filter(attempts: 3, "never") { _ in false }
        let r = UniversalProperty("impossible filter", generator: impossible, budget: .trials(10)) { _ in true }.run(fixedSettings())
        #expect(r.decision == .error)
        #expect(r.warnings.contains { $0.contains("health check") })
        #expect(r.trials == 0 && r.rejectedTrials == 101)  // allowance 10 × budget 10, then one more
    }

    @Test func mostlyRejectedTrialsWarn() {
        // Keeps only n = 0 of 0...9 (after up to 2 attempts: P(keep) = 0.19), so over half the
        // trials are rejected; the run still holds but warns.
        let rare = Gen.integers(in: 0...9).filter(attempts: 2) { $0 == 0 }
        let r = UniversalProperty("rare filter", generator: rare, budget: .trials(50)) { $0 == 0 }.run(fixedSettings())
        #expect(r.decision == .holds)
        #expect(r.warnings.contains { $0.contains("over half") })
    }

    @Test func assumeRejectsTrials() {
        let p = UniversalProperty("odd only", generator: Gen.integers(in: 0...99), budget: .trials(40)) { n, _ in
            try assume(n % 2 == 1, "even")
            return Check.that(n % 2 == 1, "odd")
        }
        let r = p.run(fixedSettings())
        #expect(r.decision == .holds && r.trials == 40 && r.rejectedTrials > 0)
    }

    @Test func regressionsAreRecordedAtomicallyAndReplayedFirst() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engine-regressions-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("regressions.json")
        let p = UniversalProperty("below 900", generator: Gen.integers(in: 0...1_000)) { $0 < 900 }
        var settings = fixedSettings(seed: 3)
        settings.regressionsFile = file
        let first = p.run(settings)
        #expect(first.counterexample?.instance == "900")
        let stored = try RegressionStore(file: file).entries(for: "below 900")
        #expect(stored.count == 1 && stored[0].rootSeed == 3)
        // No temporary file left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["regressions.json"])
        // A later run with another seed replays the stored case first, before any new trial.
        settings.rootSeed = 99
        let second = p.run(settings)
        #expect(second.trials == 1)
        #expect(second.warnings.contains { $0.contains("regressions file") })
        #expect(second.counterexample?.instance == "900")
        // A malformed file is reported as a typed error, not a crash.
        try Data("not json".utf8).write(to: file)
        #expect(throws: PropertyEngineError.self) { try RegressionStore(file: file).entries() }
    }

    @Test func anOutlierTrialWarnsInTiming() throws {
        // Draws of 0 sleep 50 ms, the rest return at once: the slowest trial is over the floor
        // (1 ms) and far over 10x the median, so the warning names it; it lives in `timing`,
        // outside the deterministic part of the result.
        let p = UniversalProperty("outlier", generator: Gen.integers(in: 0...9),
                                  budget: Budget(quick: 40, nightly: 40, paper: 40, slowTrialSeconds: 0.001)) { x in
            if x == 0 { Thread.sleep(forTimeInterval: 0.05) }
            return true
        }
        let r = p.run(fixedSettings())
        let timing = try #require(r.timing)
        #expect(timing.slowestTrialSeconds >= 0.05)
        #expect(timing.warnings.contains { $0.contains("x the median trial") })
        #expect(r.warnings.isEmpty)
    }

    @Test func uniformlySlowTrialsDoNotWarn() throws {
        // Every trial sleeps 20 ms: all are over the 1 ms floor, none stands out, so no warning.
        let p = UniversalProperty("uniform", generator: Gen.integers(in: 0...9),
                                  budget: Budget(quick: 8, nightly: 8, paper: 8, slowTrialSeconds: 0.001)) { _ in
            Thread.sleep(forTimeInterval: 0.02)
            return true
        }
        let timing = try #require(p.run(fixedSettings()).timing)
        #expect(timing.warnings.isEmpty)
    }

    @Test func failureSummaryCarriesReplayLineAndSwiftCall() {
        let r = UniversalProperty("n < 5", generator: Gen.integers(in: 0...100)) { $0 < 5 }.run(fixedSettings(seed: 8))
        #expect(r.summary.contains("reproduce: PROPERTY_PROFILE=quick PROPERTY_SEED=8 PROPERTY_REPLAY='n < 5:"))
        #expect(r.summary.contains("ReplayRequest(property: \"n < 5\", trial:"))
        #expect(r.summary.contains("counterexample"))
    }
}
