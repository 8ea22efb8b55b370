import Foundation
import PaperClaims
import PropertyEngine

/// Runs claims and experiments and produces the results the command line writes: a full run
/// (`verify`, `report`), one shard of a run, or the merge of shards. It holds the run-wide
/// settings (profile, seed, workers, replay template, cancellation, progress).
public struct Harness: Sendable {
    /// Engine settings shared by every claim.
    public var settings: Settings
    /// The family-wise false-fail rate (split over the statistical claims, Bonferroni).
    public var familyFalseFailRate: Double
    /// The command line recorded in the results.
    public var command: String
    /// Where the run happens (measured once, up front).
    public var environment: RunEnvironment
    /// Where progress goes (nil: silent).
    public var display: ProgressDisplay?

    /// A harness with explicit settings.
    public init(settings: Settings, familyFalseFailRate: Double = PaperClaims.defaultFamilyFalseFailRate,
                command: String, environment: RunEnvironment, display: ProgressDisplay? = nil) {
        self.settings = settings
        self.familyFalseFailRate = familyFalseFailRate
        self.command = command
        self.environment = environment
        self.display = display
    }

    private var cancelled: Bool { settings.cancellation?.isCancelled == true }

    /// The settings with the progress callback attached.
    private var reportingSettings: Settings {
        var s = settings
        if let display { s.progress = { display.update($0) } }
        return s
    }

    /// Runs `claims` in order (each statistical one at α_family / k), then `experiments` with
    /// `options`; a cancellation keeps what completed and lists the rest as not run.
    public func run(_ claims: [ClaimUnderTest], notRun: [NotRun] = [], experiments: [ExperimentUnderTest] = [],
                    options: ExperimentOptions? = nil, records: [String: [TrialRecord]] = [:], mergedShards: Int? = nil) throws -> ResultsFile {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let properties = claims.map(\.property)
        let share = try PropertySuite.bonferroniShare(properties, familyFalseFailRate: familyFalseFailRate)
        let s = reportingSettings
        var outcomes: [ClaimOutcome] = []
        var skipped = notRun
        let total = claims.count + experiments.count
        for (k, claim) in claims.enumerated() {
            if cancelled {
                skipped.append(NotRun(id: claim.entry.id, reason: "the run was interrupted before this claim started"))
                continue
            }
            display?.begin(claim.entry.id, position: k + 1, total: total)
            let result = claim.property.decide(records[claim.property.name] ?? [], settings: s,
                                               falseFailRate: claim.property.kind == .statistical ? share : nil)
            outcomes.append(ClaimOutcome(entry: claim.entry, result: result))
            display?.end("\(claim.entry.id): \(ReportFormat.verdict(result).uppercased()) after \(result.trials) trials")
            if result.decision != .holds && result.interrupted != true { display?.note(result.summary) }
        }
        var experimentOutcomes: [ExperimentOutcome] = []
        if let options {
            for (k, e) in experiments.enumerated() {
                if cancelled { break }
                display?.begin(e.id, position: claims.count + k + 1, total: total)
                let t0 = clock.now
                var result: ExperimentResult?
                var failure: String?
                do { result = try e.run(options) } catch { failure = "\(error)" }
                let seconds = Harness.seconds(clock.now - t0)
                var outcome = ExperimentOutcome(id: e.id, title: e.title, parameters: e.parameters, publishedRuns: e.publishedRuns,
                                                runs: options.runs, sweepStride: options.sweepStride, seed: options.seed,
                                                seconds: seconds, result: result, error: failure)
                if options.seedCount > 1, let result {
                    outcome.spread = spread(of: e, first: result, options: options)
                }
                experimentOutcomes.append(outcome)
                display?.end("\(e.id): \(outcome.verdict)")
            }
        }
        let interrupted = cancelled
        return ResultsFile(command: command, startedAt: startedAt, durationSeconds: Harness.seconds(clock.now - start),
                           environment: environment, profile: settings.profile, rootSeed: settings.rootSeed,
                           familyFalseFailRate: familyFalseFailRate, perClaimFalseFailRate: share,
                           interrupted: interrupted || outcomes.contains { $0.result.interrupted == true },
                           mergedShards: mergedShards, claims: outcomes, notRun: skipped, experiments: experimentOutcomes)
    }

    /// The headline numbers of `experiment` under seeds `options.seed ... + seedCount - 1` (the
    /// first already run as `first`); stops early on cancellation, keeping the seeds done.
    func spread(of experiment: ExperimentUnderTest, first: ExperimentResult, options: ExperimentOptions) -> SeedSpread {
        var rows = [SeedSpread.Row(seed: options.seed, result: first)]
        for k in 1..<options.seedCount {
            if cancelled { break }
            var o = options
            o.seed = options.seed &+ UInt64(k)
            display?.note("\(experiment.id): seed \(o.seed) (\(k + 1) of \(options.seedCount) covariances)")
            if let result = try? experiment.run(o) { rows.append(SeedSpread.Row(seed: o.seed, result: result)) }
        }
        return SeedSpread(rows: rows, requested: options.seedCount)
    }

    /// Runs shard `shard` of `claims`: the per-trial records of its trial indices.
    public func runShard(_ claims: [ClaimUnderTest], shard: Shard) -> ShardFile {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let s = reportingSettings
        var records: [ShardRecords] = []
        for (k, claim) in claims.enumerated() {
            if cancelled {
                records.append(ShardRecords(property: claim.property.name, shard: shard, records: [], interrupted: true))
                continue
            }
            display?.begin(claim.entry.id, position: k + 1, total: claims.count)
            let r = claim.property.records(for: shard, settings: s)
            records.append(r)
            display?.end("\(claim.entry.id): \(r.records.count) trial records for shard \(shard)\(r.interrupted ? " (interrupted)" : "")")
        }
        return ShardFile(shard: shard, profile: settings.profile, rootSeed: settings.rootSeed,
                         familyFalseFailRate: familyFalseFailRate, claims: claims.map(\.entry.id), records: records,
                         interrupted: records.contains { $0.interrupted }, startedAt: startedAt,
                         durationSeconds: Harness.seconds(clock.now - start), environment: environment)
    }

    /// Merges complete shards into the results an unsharded run with the same seed gives:
    /// the engine's sequential decision replayed over the merged records in trial-index order
    /// (trials no shard computed — e.g. beyond the budget after rejections — are evaluated here).
    /// `claim` maps a claim id to its claim. The harness's profile and seed are taken from the shards.
    public func merge(_ shards: [ShardFile], claim: (String) throws -> ClaimUnderTest) throws -> ResultsFile {
        let (first, records) = try ShardFile.combine(shards)
        var harness = self
        harness.settings.profile = first.profile
        harness.settings.rootSeed = first.rootSeed
        harness.familyFalseFailRate = first.familyFalseFailRate
        let claims = try first.claims.map(claim)
        return try harness.run(claims, records: records, mergedShards: first.shard.count)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
