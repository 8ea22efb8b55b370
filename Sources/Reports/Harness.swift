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
    /// The run's checkpoint (nil: none): completed units are taken from it and every new one is
    /// appended to it, so a stopped run resumes to the same results.
    public var journal: RunJournal?

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

    /// The settings with the progress callback and the journal attached.
    private var reportingSettings: Settings {
        var s = settings
        if let display { s.progress = { display.update($0) } }
        if let journal { s.journal = journal }
        return s
    }

    /// A ledger for the experiments: runs taken from `known` and the journal, new ones journaled,
    /// only `shard`'s runs computed, stopped by the settings' cancellation.
    private func ledger(known: [String: AuditedRun] = [:], shard: Shard? = nil) -> RunLedger {
        var record: (@Sendable (String, AuditedRun) -> Void)?
        var runs = known
        if let journal {
            record = { key, run in journal.record(run: run, key: key) }
            runs.merge(journal.runs) { mine, _ in mine }
        }
        return RunLedger(known: runs, shard: shard, cancellation: settings.cancellation, record: record)
    }

    /// Why an experiment has no result: its error, or the interruption that stopped it.
    private func failure(_ error: any Error, ledger: RunLedger) -> String {
        guard cancelled else { return "\(error)" }
        return "interrupted (SIGINT or SIGTERM) before every run finished: \(ledger.runs.count) runs of the whole run are complete"
            + (journal.map { " and kept in \($0.url.path); rerun the same command to resume" } ?? "")
    }

    /// Runs `claims` in order (each statistical one at α_family / k), then `experiments` with
    /// `options`; a cancellation keeps what completed and lists the rest as not run.
    public func run(_ claims: [ClaimUnderTest], notRun: [NotRun] = [], experiments: [ExperimentUnderTest] = [],
                    options: ExperimentOptions? = nil, records: [String: [TrialRecord]] = [:], runs knownRuns: [String: AuditedRun] = [:],
                    mergedShards: Int? = nil) throws -> ResultsFile {
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
        if var options {
            let ledger = ledger(known: knownRuns)
            options.ledger = ledger
            for (k, e) in experiments.enumerated() {
                if cancelled { break }
                display?.begin(e.id, position: claims.count + k + 1, total: total)
                let t0 = clock.now
                let unitsBefore = ledger.units
                var result: ExperimentResult?
                var failure: String?
                do { result = try e.run(options) } catch { failure = self.failure(error, ledger: ledger) }
                let seconds = Harness.seconds(clock.now - t0)
                var outcome = ExperimentOutcome(id: e.id, title: e.title, parameters: e.parameters, publishedRuns: e.publishedRuns,
                                                runs: options.runs, sweepStride: options.sweepStride, seed: options.seed,
                                                seconds: seconds, result: result, error: failure)
                outcome.units = ledger.units.since(unitsBefore)
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
            let o = options.seedVariant(k)
            display?.note("\(experiment.id): seed \(o.seed) (\(k + 1) of \(options.seedCount) covariances)")
            if let result = try? experiment.run(o) { rows.append(SeedSpread.Row(seed: o.seed, result: result)) }
        }
        return SeedSpread(rows: rows, requested: options.seedCount)
    }

    /// Runs shard `shard` of `claims` and `experiments`: the per-trial records of its trial
    /// indices, and the experiment runs whose ordinals are its (see `RunLedger`).
    public func runShard(_ claims: [ClaimUnderTest], shard: Shard, experiments: [ExperimentUnderTest] = [],
                         options: ExperimentOptions? = nil) -> ShardFile {
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
        var experimentsInterrupted = false
        var runs: [String: AuditedRun]?
        if var options, !experiments.isEmpty {
            let ledger = ledger(shard: shard)
            options.ledger = ledger
            for (k, e) in experiments.enumerated() {
                if cancelled { experimentsInterrupted = true; break }
                display?.begin(e.id, position: claims.count + k + 1, total: claims.count + experiments.count)
                let before = ledger.runs.count
                // The result is meaningless (other shards' runs are placeholders): only the runs count.
                // An error loses nothing (merge computes any run no shard holds, and reports the
                // experiment's error there) but is said now, not first at the merge.
                for j in 0..<options.seedCount where !cancelled {
                    do {
                        _ = try e.run(options.seedVariant(j))
                    } catch {
                        if !cancelled { display?.note("\(e.id): \(error) (merge will compute the runs this shard lacks and report it)") }
                    }
                }
                display?.end("\(e.id): \(ledger.runs.count - before) runs for shard \(shard)\(cancelled ? " (interrupted)" : "")")
            }
            experimentsInterrupted = experimentsInterrupted || cancelled
            runs = ledger.runs
        }
        var file = ShardFile(shard: shard, profile: settings.profile, rootSeed: settings.rootSeed,
                             familyFalseFailRate: familyFalseFailRate, claims: claims.map(\.entry.id), records: records,
                             interrupted: records.contains { $0.interrupted } || experimentsInterrupted, startedAt: startedAt,
                             durationSeconds: Harness.seconds(clock.now - start), environment: environment)
        if let options, !experiments.isEmpty {
            file.experiments = experiments.map(\.id)
            file.experimentPlan = ShardFile.ExperimentPlan(options)
            file.runs = runs
        }
        return file
    }

    /// Merges complete shards into the results an unsharded run with the same seed gives:
    /// the engine's sequential decision replayed over the merged records in trial-index order
    /// (trials no shard computed — e.g. beyond the budget after rejections — are evaluated here).
    /// `claim` maps a claim id to its claim. The harness's profile and seed are taken from the shards.
    /// Experiments are rebuilt from the shards' runs the same way (any run no shard holds is computed here).
    public func merge(_ shards: [ShardFile], claim: (String) throws -> ClaimUnderTest,
                      experiment: (String) throws -> ExperimentUnderTest = { throw ReportsError.unknownName(kind: "experiment", name: $0, known: []) })
        throws -> ResultsFile {
        let (first, records, runs) = try ShardFile.combine(shards)
        var harness = self
        harness.settings.profile = first.profile
        harness.settings.rootSeed = first.rootSeed
        harness.familyFalseFailRate = first.familyFalseFailRate
        let claims = try first.claims.map(claim)
        let experiments = try (first.experiments ?? []).map(experiment)
        let options = first.experimentPlan.map { $0.options(seed: first.rootSeed, workers: settings.workers) }
        return try harness.run(claims, experiments: experiments, options: options, records: records, runs: runs,
                               mergedShards: first.shard.count)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
