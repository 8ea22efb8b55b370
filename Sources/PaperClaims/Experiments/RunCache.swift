import Synchronization

/// A process-wide memo of expensive audited runs that two experiments share: Fig. 2 overlays
/// the very SGD runs of Fig. 7a (same spike, same streams), which cost about 35 ms a step, so a
/// report that draws both computes them once. Keys name the experiment, seed and run; a run is
/// a pure function of its key, so a cached value equals a recomputed one.
enum RunCache {
    private static let runs = Mutex<[String: AuditedRun]>([:])

    /// The run stored under `key`, computing and storing it with `compute` if absent. Two threads
    /// asking for the same absent key may both compute it; they store equal values.
    static func run(_ key: String, _ compute: () throws -> AuditedRun) rethrows -> AuditedRun {
        if let cached = runs.withLock({ $0[key] }) { return cached }
        let value = try compute()
        // A run cut short by an interruption is discarded by its ledger; never keep it here.
        if RunInterruption.current?.wasCutShort == true { return value }
        runs.withLock { $0[key] = value }
        return value
    }
}
