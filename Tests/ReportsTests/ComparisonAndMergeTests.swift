import Foundation
import PaperClaims
import PropertyEngine
import Reports
import Testing

/// Regression comparison and sharded runs.
struct ComparisonAndMergeTests {
    @Test func anIdenticalRerunIsNotARegression() throws {
        let a = try StandIns.harness().run(StandIns.claims())
        let b = try StandIns.harness().run(StandIns.claims())
        let comparison = try ResultsComparison(baseline: a, current: b)
        #expect(!comparison.hasRegression)
        #expect(comparison.rows.allSatisfy { $0.status == .unchanged })
    }

    @Test func aFreshSeedWithTheSameTruthIsNotARegression() throws {
        let a = try StandIns.harness(seed: 1).run(StandIns.claims())
        let b = try StandIns.harness(seed: 2).run(StandIns.claims())
        #expect(!(try ResultsComparison(baseline: a, current: b)).hasRegression)
    }

    @Test func plantedRegressionsAreFlagged() throws {
        let baseline = try StandIns.harness(seed: 1).run(StandIns.claims(rate: 0.95, meanShift: 0.2))
        // Same claims, worse truths: the rate drops from 0.95 to 0.85 (still above the SPRT's
        // alternative, so the verdict need not flip), and the mean drops by 0.15.
        let current = try StandIns.harness(seed: 2).run(StandIns.claims(rate: 0.85, meanShift: 0.05))
        let comparison = try ResultsComparison(baseline: baseline, current: current, alpha: 0.01)
        let status = Dictionary(uniqueKeysWithValues: comparison.rows.map { ($0.id, $0.status) })
        #expect(status["coin-rate"] == .regression)
        #expect(status["uniform-mean"] == .regression)
        #expect(comparison.hasRegression)
        #expect(comparison.table.contains("REGRESSION"))
    }

    @Test func aUniversalClaimThatStartsFailingIsARegression() throws {
        let baseline = try StandIns.harness().run([StandIns.claims()[0]])
        let broken = ClaimUnderTest(entry: StandIns.entry("sum-bounded", kind: .universal), property: StandIns.fails)
        let current = try StandIns.harness().run([broken])
        let comparison = try ResultsComparison(baseline: baseline, current: current)
        #expect(comparison.rows.map(\.status) == [.regression])
        // The reverse direction is an improvement, not a regression.
        #expect(!(try ResultsComparison(baseline: current, current: baseline)).hasRegression)
    }

    @Test func missingClaimsFailUnlessAllowed() throws {
        let baseline = try StandIns.harness().run(StandIns.claims())
        let current = try StandIns.harness().run(Array(StandIns.claims().prefix(2)))
        #expect(try ResultsComparison(baseline: baseline, current: current).hasRegression)
        #expect(!(try ResultsComparison(baseline: baseline, current: current, missingIsRegression: false)).hasRegression)
    }

    @Test(arguments: [2, 3])
    func mergedShardsEqualTheUnshardedRun(count: Int) throws {
        let claims = StandIns.claims()
        let unsharded = try StandIns.harness(seed: 77).run(claims)
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [ShardFile] = []
        for k in (1...count).reversed() {   // any order
            let file = StandIns.harness(seed: 77, workers: k).runShard(claims, shard: try Shard(index: k, count: count))
            let url = folder.appendingPathComponent(ShardFile.fileName(file.shard))
            try AtomicWriter.write(JSONFormat.data(file), to: url)
            files.append(try ShardFile.read(from: url))   // through the file format
        }
        let merged = try StandIns.harness(seed: 1).merge(files) { id in claims.first { $0.entry.id == id }! }
        #expect(merged.rootSeed == 77)
        #expect(merged.mergedShards == count)
        #expect(merged.claims.map { $0.result.withoutTiming() } == unsharded.claims.map { $0.result.withoutTiming() })
        #expect(merged.claims.map { ReportFormat.verdict($0.result) } == ["pass", "fail", "pass", "pass"])
    }

    @Test func incompleteOrMismatchedShardsAreRejected() throws {
        let claims = StandIns.claims()
        let one = StandIns.harness(seed: 5).runShard(claims, shard: try Shard(index: 1, count: 2))
        let two = StandIns.harness(seed: 5).runShard(claims, shard: try Shard(index: 2, count: 2))
        let otherSeed = StandIns.harness(seed: 6).runShard(claims, shard: try Shard(index: 2, count: 2))
        #expect(throws: ReportsError.self) { try ShardFile.combine([one]) }
        #expect(throws: ReportsError.self) { try ShardFile.combine([one, one]) }
        #expect(throws: ReportsError.self) { try ShardFile.combine([one, otherSeed]) }
        #expect(throws: ReportsError.self) { try ShardFile.combine([]) }
        _ = try ShardFile.combine([two, one])
        // Shards stamped with their run's header: equal but for the shard, they merge; a header
        // that differs in what decides the values (here the covariance file's bytes) is refused,
        // as is a mix of stamped and unstamped files.
        func header(_ shard: Shard, input: String?) -> RunJournal.Header {
            RunJournal.Header(command: "verify", profile: .quick, rootSeed: 5, familyFalseFailRate: 0.01, claims: claims, experiments: [],
                              options: nil, shard: shard, gitCommit: "abc", gitDirty: false, inputDigest: input)
        }
        var stampedOne = one, stampedTwo = two
        stampedOne.header = header(one.shard, input: "0123456789abcdef (covariance)")
        stampedTwo.header = header(two.shard, input: "0123456789abcdef (covariance)")
        _ = try ShardFile.combine([stampedOne, stampedTwo])
        var editedTwo = stampedTwo
        editedTwo.header = header(two.shard, input: "fedcba9876543210 (covariance)")
        #expect(throws: ReportsError.self) { try ShardFile.combine([stampedOne, editedTwo]) }
        #expect(throws: ReportsError.self) { try ShardFile.combine([stampedOne, two]) }
    }

    @Test func malformedResultsFilesAreClearErrors() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ text: String) throws -> URL {
            let url = folder.appendingPathComponent("\(UUID().uuidString).json")
            try Data(text.utf8).write(to: url)
            return url
        }
        for (text, needle) in [("{\"schemaVersion\": 1", "not valid JSON"), ("{}", "schemaVersion"), ("{\"schemaVersion\": 99}", "schemaVersion 99"),
                               ("{\"schemaVersion\": 1, \"profile\": \"quick\"}", "is missing"), ("[1, 2]", "results file")] {
            let url = try write(text)
            do {
                _ = try ResultsFile.read(from: url)
                Issue.record("accepted \(text)")
            } catch {
                #expect("\(error)".contains(needle), "\(error)")
                #expect("\(error)".contains(url.path))
            }
        }
        #expect(throws: ReportsError.self) { try ResultsFile.read(from: folder.appendingPathComponent("absent.json")) }
        #expect(throws: ReportsError.self) { try ShardFile.read(from: try write("{\"schemaVersion\": 1}")) }
    }

    @Test func unknownClaimsAndExperimentsAreNamed() throws {
        let catalogue = ClaimCatalogue(entries: [StandIns.entry("sum-bounded", kind: .universal)])
        do {
            _ = try ClaimSelection.claims(["no-such-claim"], in: catalogue) { _ in StandIns.holds }
            Issue.record("accepted an unknown claim")
        } catch {
            #expect("\(error)" == "unknown claim 'no-such-claim'; known: sum-bounded")
        }
        #expect(throws: ReportsError.self) { try ClaimSelection.experiments(["fig99"], in: [StandIns.experiment]) }
        // Without an implementation: an error when asked for by id, "not run" otherwise.
        struct Missing: Error {}
        #expect(throws: ReportsError.self) { try ClaimSelection.claims(["sum-bounded"], in: catalogue) { _ in throw Missing() } }
        let all = try ClaimSelection.claims([], in: catalogue) { _ in throw Missing() }
        #expect(all.claims.isEmpty && all.notRun.map(\.id) == ["sum-bounded"])
    }
}
