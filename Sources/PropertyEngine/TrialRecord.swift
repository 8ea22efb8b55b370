import Randomness

/// What one trial produced, without the (possibly non-Sendable) instance itself: its status,
/// outcome, measurements, choices and log. Codable, so a shard of a run can save the records
/// of its trials and `Property.decide` can rebuild the verdict from them later (`merge`).
public struct TrialRecord: Codable, Equatable, Sendable {
    /// Whether the trial passed, failed (check failed or threw) or was rejected by a filter.
    public enum Status: String, Codable, Sendable {
        /// Counted; for universal properties, the check held.
        case passed
        /// The check failed, or the property threw.
        case failed
        /// Rejected by `filter` or `assume`; not counted.
        case rejected
    }
    /// The trial's status.
    public var status: Status
    /// Statistical outcome (1/0 for rates, the measured value for means); 0 for universal trials.
    public var outcome: Double = 0
    /// The universal check, with its measurements.
    public var check: Check?
    /// The error the trial threw (or the rejection reason).
    public var thrownError: String?
    /// The choices drawn; replaying them regenerates the instance.
    public var choices: [Choice]
    /// Events and features recorded (coverage).
    public var log: TrialLog
    /// Wall-clock seconds the trial took (not part of any verdict).
    public var seconds: Double = 0
    /// The trial's index i: its stream is RandomStream(seed: root).child(property).child(i).
    public var index: Int = 0
}

/// The trial loop shared by both kinds of property and by `decide` over saved records:
/// trials are taken from the known records where present and otherwise evaluated in parallel
/// batches of fixed size, and consumed strictly in trial-index order, so the stopping point
/// depends only on the seed (not on workers, nor on which shard computed which trial).
enum TrialLoop {
    struct Totals {
        var counted = 0
        var rejected = 0
        var logs: [TrialLog] = []
        var slowest = 0.0
        /// The slowest counted trial's index, and every counted trial's seconds (for the outlier check).
        var slowestTrial = 0
        var seconds: [Double] = []
        var healthFailure: String?
        var healthCheck: PropertyResult.HealthCheck?
        /// The loop stopped because `settings.cancellation` was set, before a decision.
        var interrupted = false
    }

    /// The stream of trial `trial` of property `name`: a pure function of root seed, name and index.
    static func stream(root: UInt64, property name: String, trial: Int) -> RandomStream {
        RandomStream(seed: root).child(name).child(trial)
    }

    /// Evaluates the trials `indices` (in parallel on `settings.workers` threads), timing each.
    static func evaluate(
        _ indices: [Int], name: String, settings: Settings,
        evaluate: @escaping @Sendable (RandomStream) -> TrialRecord
    ) -> [TrialRecord] {
        let root = settings.rootSeed
        let streamIndex = settings.plantedStreamIndex
        let records = TrialExecutor.evaluate(indices, workers: settings.workers) { i in
            let clock = ContinuousClock()
            let start = clock.now
            var r = evaluate(stream(root: root, property: name, trial: streamIndex?(i) ?? i))
            r.seconds = seconds(clock.now - start)
            r.index = i
            return r
        }
        if !records.isEmpty { settings.journal?.record(records, of: name) }
        return records
    }

    /// The records `known` (by index) merged with those the settings' journal holds for `name`
    /// (the known ones win: they are the same pure function of seed, name and index).
    static func known(_ known: [Int: TrialRecord], name: String, settings: Settings) -> [Int: TrialRecord] {
        guard let journal = settings.journal else { return known }
        return known.merging(recordsByIndex(journal.completedTrials(of: name))) { mine, _ in mine }
    }

    /// Runs trials until `consume` says stop or `target` trials were counted. Records in
    /// `known` (by trial index) are used as they are; the others are evaluated.
    static func run(
        name: String, settings: Settings, target: Int, known: [Int: TrialRecord] = [:],
        evaluate: @escaping @Sendable (RandomStream) -> TrialRecord,
        consume: (Int, TrialRecord) -> Bool
    ) -> Totals {
        let known = self.known(known, name: name, settings: settings)
        var totals = Totals()
        var next = 0
        var drawn = DuplicateTrialDetector()
        let maxRejected = settings.rejectionAllowance * max(target, 1)
        settings.progress?(TrialProgress(property: name, phase: .trials, completed: 0, target: target))
        outer: while totals.counted < target {
            if settings.cancellation?.isCancelled == true {
                totals.interrupted = true
                break
            }
            let batch = next..<next + max(1, settings.batchSize)
            next = batch.upperBound
            let missing = batch.filter { known[$0] == nil }
            var computed = self.evaluate(missing, name: name, settings: settings, evaluate: evaluate).makeIterator()
            let records = batch.map { known[$0] ?? computed.next()! }
            defer { settings.progress?(TrialProgress(property: name, phase: .trials, completed: totals.counted, target: target)) }
            for (offset, record) in records.enumerated() {
                if let earlier = drawn.insert(record.choices, trial: batch.lowerBound + offset) {
                    let index = batch.lowerBound + offset
                    totals.healthCheck = .sharedRandomness
                    totals.healthFailure = "health check: trials \(earlier) and \(index) drew the same choice sequence (\(record.choices.count) choices, \(Int(DuplicateTrialDetector.bits(record.choices))) bits; a coincidence has probability below 2^-64): their randomness is shared, so the run has less evidence than it counts — reproduce: \(settings.replayCommand(property: name, trial: earlier)) and \(settings.replayCommand(property: name, trial: index))"
                    break outer
                }
                if record.status == .rejected {
                    totals.rejected += 1
                    if totals.rejected > maxRejected {
                        totals.healthCheck = .tooManyRejections
                        totals.healthFailure = "health check: \(totals.rejected) trials rejected for \(totals.counted) counted (allowance \(settings.rejectionAllowance)× budget); last reason: \(record.thrownError ?? "?")"
                        break outer
                    }
                    continue
                }
                totals.counted += 1
                totals.logs.append(record.log)
                if record.seconds > totals.slowest { totals.slowest = record.seconds; totals.slowestTrial = batch.lowerBound + offset }
                totals.seconds.append(record.seconds)
                if consume(batch.lowerBound + offset, record) || totals.counted >= target { break outer }
            }
        }
        return totals
    }

    /// The records of one shard's trials: indices i < `target` with i mod N = k − 1, evaluated in
    /// batches; stops after the first batch holding a failed trial (no later trial of this shard
    /// can matter: the merged decision stops at the lowest failing index) or on cancellation.
    static func shard(
        _ shard: Shard, name: String, settings: Settings, target: Int,
        evaluate: @escaping @Sendable (RandomStream) -> TrialRecord
    ) -> ShardRecords {
        let indices = Array(stride(from: shard.index - 1, to: target, by: shard.count))
        let known = self.known([:], name: name, settings: settings)
        var records: [TrialRecord] = []
        var interrupted = false
        var position = 0
        settings.progress?(TrialProgress(property: name, phase: .trials, completed: 0, target: indices.count))
        while position < indices.count {
            if settings.cancellation?.isCancelled == true {
                interrupted = true
                break
            }
            let end = min(indices.count, position + max(1, settings.batchSize))
            let wanted = Array(indices[position..<end])
            var computed = self.evaluate(wanted.filter { known[$0] == nil }, name: name, settings: settings, evaluate: evaluate).makeIterator()
            let batch = wanted.map { known[$0] ?? computed.next()! }
            records += batch
            position = end
            settings.progress?(TrialProgress(property: name, phase: .trials, completed: position, target: indices.count))
            if batch.contains(where: { $0.status == .failed }) { break }
        }
        return ShardRecords(property: name, shard: shard, records: records, interrupted: interrupted)
    }
}
