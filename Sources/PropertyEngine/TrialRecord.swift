import Randomness

/// What one trial produced, without the (possibly non-Sendable) instance itself.
struct TrialRecord: Sendable {
    enum Status: Sendable { case passed, failed, rejected }
    var status: Status
    /// Statistical outcome (1/0 for pass/fail), 0 for universal trials.
    var outcome: Double = 0
    var check: Check?
    var thrownError: String?
    var choices: [Choice]
    var log: TrialLog
    var seconds: Double = 0
}

/// The trial loop shared by both kinds of property: parallel batches of fixed size, consumed
/// strictly in trial-index order, so the stopping point depends only on the seed.
enum TrialLoop {
    struct Totals {
        var counted = 0
        var rejected = 0
        var logs: [TrialLog] = []
        var slowest = 0.0
        var healthFailure: String?
    }

    /// The stream of trial `trial` of property `name`: a pure function of root seed, name and index.
    static func stream(root: UInt64, property name: String, trial: Int) -> RandomStream {
        RandomStream(seed: root).child(name).child(trial)
    }

    /// Runs trials until `consume` says stop or `target` trials were counted.
    static func run(
        name: String, settings: Settings, target: Int,
        evaluate: @escaping @Sendable (RandomStream) -> TrialRecord,
        consume: (Int, TrialRecord) -> Bool
    ) -> Totals {
        var totals = Totals()
        var next = 0
        let root = settings.rootSeed
        let maxRejected = settings.rejectionAllowance * max(target, 1)
        outer: while totals.counted < target {
            let batch = next..<next + max(1, settings.batchSize)
            next = batch.upperBound
            let records = TrialExecutor.evaluate(batch, workers: settings.workers) { i in
                let clock = ContinuousClock()
                let start = clock.now
                var r = evaluate(stream(root: root, property: name, trial: i))
                let elapsed = clock.now - start
                r.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                return r
            }
            for (offset, record) in records.enumerated() {
                if record.status == .rejected {
                    totals.rejected += 1
                    if totals.rejected > maxRejected {
                        totals.healthFailure = "health check: \(totals.rejected) trials rejected for \(totals.counted) counted (allowance \(settings.rejectionAllowance)× budget); last reason: \(record.thrownError ?? "?")"
                        break outer
                    }
                    continue
                }
                totals.counted += 1
                totals.logs.append(record.log)
                totals.slowest = max(totals.slowest, record.seconds)
                if consume(batch.lowerBound + offset, record) || totals.counted >= target { break outer }
            }
        }
        return totals
    }
}
