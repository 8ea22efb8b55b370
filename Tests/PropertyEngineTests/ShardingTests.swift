import Foundation
import Synchronization
import Testing
import PropertyEngine

/// Sharded runs merge into exactly the unsharded verdict; progress is reported; a cancelled
/// run keeps its completed trials and says it was interrupted.
struct ShardingTests {
    /// Rejects a third of its instances, so merging must cope with trials beyond the budget.
    static let filtered = UniversalProperty(
        "filtered sum below 160",
        generator: Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 0...100)).filter { $0.0 % 3 != 0 }
    ) { pair, log in
        log.feature("a", Double(pair.0))
        return Check.atMost(Double(pair.0 + pair.1), 160, "a + b")
    }

    static let holding = UniversalProperty(
        "sum at most 200", generator: Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 0...100)), budget: .trials(300)
    ) { pair, _ in Check.atMost(Double(pair.0 + pair.1), 200, "a + b") }

    static let properties: [any Property] = [DeterminismTests.failing, DeterminismTests.statistical, filtered, holding]

    @Test(arguments: [1, 2, 3, 5])
    func mergedShardsEqualTheUnshardedRun(count: Int) throws {
        let settings = fixedSettings(seed: 42, workers: 2)
        let unsharded = try PropertySuite.run(Self.properties, familyFalseFailRate: 0.01, settings: settings)
        var merged: [String: [TrialRecord]] = [:]
        for k in 1...count {
            // Each shard with its own worker count: verdicts must not depend on it.
            for shard in PropertySuite.records(Self.properties, shard: try Shard(index: k, count: count),
                                               settings: fixedSettings(seed: 42, workers: k % 3 + 1)) {
                #expect(!shard.interrupted)
                #expect(shard.records.allSatisfy { shard.shard.contains(trial: $0.index) })
                merged[shard.property, default: []] += shard.records
            }
        }
        let decided = try PropertySuite.decide(Self.properties, records: merged, familyFalseFailRate: 0.01, settings: settings)
        #expect(decided.results.map { $0.withoutTiming() } == unsharded.results.map { $0.withoutTiming() })
        #expect(decided.results.map(\.decision) == [.fails, .holds, .fails, .holds])
    }

    /// A wrapper that implements only `run` (as a settings-adjusting wrapper might).
    struct RunOnly: Property {
        let wrapped: any Property
        var name: String { wrapped.name }
        var kind: PropertyKind { wrapped.kind }
        func run(_ settings: Settings, falseFailRate: Double?) -> PropertyResult {
            var s = settings
            s.batchSize = 8
            return wrapped.run(s, falseFailRate: falseFailRate)
        }
    }

    @Test func aRunOnlyWrapperStillMergesExactly() throws {
        let properties: [any Property] = [RunOnly(wrapped: DeterminismTests.statistical), RunOnly(wrapped: Self.filtered)]
        let settings = fixedSettings(seed: 9)
        let unsharded = try PropertySuite.run(properties, familyFalseFailRate: 0.01, settings: settings)
        var merged: [String: [TrialRecord]] = [:]
        for k in 1...2 {
            for shard in PropertySuite.records(properties, shard: try Shard(index: k, count: 2), settings: settings) {
                merged[shard.property, default: []] += shard.records
            }
        }
        let decided = try PropertySuite.decide(properties, records: merged, familyFalseFailRate: 0.01, settings: settings)
        #expect(decided.results.map { $0.withoutTiming() } == unsharded.results.map { $0.withoutTiming() })
    }

    @Test func recordsRoundTripThroughJSON() throws {
        let shard = Self.filtered.records(for: try Shard(parsing: "2/3"), settings: fixedSettings(seed: 3))
        let decoded = try JSONDecoder().decode(ShardRecords.self, from: JSONEncoder().encode(shard))
        #expect(decoded == shard)
    }

    @Test(arguments: ["3/2", "0/4", "1/0", "-1/3", "2", "a/b", "1/2/3", ""])
    func impossibleShardSpecificationsAreRejected(text: String) {
        #expect(throws: PropertyEngineError.self) { try Shard(parsing: text) }
    }

    @Test func progressIsReportedPerBatch() {
        let seen = Mutex<[TrialProgress]>([])
        var settings = fixedSettings(seed: 1)
        settings.progress = { p in seen.withLock { $0.append(p) } }
        let result = Self.holding.run(settings)
        let trials = seen.withLock { $0 }.filter { $0.phase == .trials }
        #expect(trials.first?.completed == 0)
        #expect(trials.last?.completed == result.trials)
        #expect(trials.allSatisfy { $0.target == 300 && $0.property == "sum at most 200" })
        #expect(trials.count == 1 + (300 + 63) / 64)
    }

    @Test func cancellationKeepsCompletedTrialsAndMarksTheResultInterrupted() throws {
        var settings = fixedSettings(seed: 1)
        let flag = CancellationFlag()
        settings.cancellation = flag
        // Cancel after the second batch has been consumed.
        settings.progress = { p in if p.completed >= 128 { flag.cancel() } }
        let report = try PropertySuite.run([Self.holding, DeterminismTests.statistical], familyFalseFailRate: 0.01, settings: settings)
        let first = try #require(report.results.first)
        #expect(first.interrupted == true)
        #expect(first.decision == .inconclusive)
        #expect(first.trials == 128)
        #expect(report.notRun == [DeterminismTests.statistical.name])
        #expect(report.interrupted)
        #expect(report.decision == .inconclusive)
    }

    @Test func aCompleteRunIsNotMarkedInterrupted() throws {
        let report = try PropertySuite.run([Self.holding], familyFalseFailRate: 0.01, settings: fixedSettings(seed: 1))
        #expect(report.results[0].interrupted == nil)
        #expect(!report.interrupted)
        let decoded = try JSONDecoder().decode(RunReport.self, from: JSONEncoder().encode(report))
        #expect(decoded == report)
    }
}
