import PropertyEngine

/// How the engine runs one claim whose trials are expensive (seconds of SGD or long GD runs):
/// in small parallel batches, so a sequential test that stops after 20 trials does not pay for
/// 64, and with a bounded shrink (each shrink step re-runs a whole trial). The verdict, the
/// stopping point and every outcome are unchanged: the engine consumes trials in index order
/// whatever the batch size; only the work done past the stopping point differs. The shrunk
/// counterexample may be less minimal than with the engine's default shrink budget.
struct ClaimExecution: Property {
    let wrapped: any Property
    let trialsPerBatch: Int
    let shrinkBudget: Int

    init(_ wrapped: any Property, trialsPerBatch: Int = 64, shrinkBudget: Int = 200) {
        self.wrapped = wrapped
        self.trialsPerBatch = trialsPerBatch
        self.shrinkBudget = shrinkBudget
    }

    var name: String { wrapped.name }
    var kind: PropertyKind { wrapped.kind }

    private func adjusted(_ settings: Settings) -> Settings {
        var s = settings
        s.batchSize = max(trialsPerBatch, settings.workers)
        s.shrinkBudget = min(settings.shrinkBudget, shrinkBudget)
        return s
    }

    func run(_ settings: Settings, falseFailRate: Double?) -> PropertyResult {
        wrapped.run(adjusted(settings), falseFailRate: falseFailRate)
    }

    func records(for shard: Shard, settings: Settings) -> ShardRecords {
        wrapped.records(for: shard, settings: adjusted(settings))
    }

    func decide(_ records: [TrialRecord], settings: Settings, falseFailRate: Double?) -> PropertyResult {
        wrapped.decide(records, settings: adjusted(settings), falseFailRate: falseFailRate)
    }

    func survey(trials: Int?, settings: Settings) -> Survey? {
        wrapped.survey(trials: trials, settings: adjusted(settings))
    }
}
