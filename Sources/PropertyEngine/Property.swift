/// Anything the engine can run: a universal or statistical property, type-erased for suites.
///
/// A run is two pieces: `records(for:settings:)` evaluates trials (trial i is a pure function
/// of root seed, property name and i), and `decide(_:settings:falseFailRate:)` replays the
/// sequential decision over records in trial-index order, evaluating any trial it lacks.
/// `run` is `decide` with no records, so sharded and unsharded runs share one code path.
public protocol Property: Sendable {
    /// The property's name; it also labels its random stream, so keep it stable.
    var name: String { get }
    /// Universal or statistical.
    var kind: PropertyKind { get }
    /// The most trials the property runs under `profile` (its budget).
    func trialBudget(for profile: Profile) -> Int
    /// The records of the trials belonging to `shard` (all up to the budget, stopping early
    /// after a failing trial, or on cancellation).
    func records(for shard: Shard, settings: Settings) -> ShardRecords
    /// The verdict from `records` (any subset of trial indices, e.g. merged shards), evaluating
    /// the trials it needs and lacks; equal to `run` for the same settings. A statistical
    /// property is held to `falseFailRate` if given (run-level error control), else to its own α.
    func decide(_ records: [TrialRecord], settings: Settings, falseFailRate: Double?) -> PropertyResult
}

extension Property {
    /// Runs the property: `decide` with no saved records. A statistical property is held to
    /// `falseFailRate` if given (run-level error control), otherwise to its own α.
    public func run(_ settings: Settings, falseFailRate: Double?) -> PropertyResult {
        decide([], settings: settings, falseFailRate: falseFailRate)
    }

    /// Runs the property at its own error rates.
    public func run(_ settings: Settings) -> PropertyResult { run(settings, falseFailRate: nil) }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Trial records keyed by index (the first record wins if an index appears twice).
func recordsByIndex(_ records: [TrialRecord]) -> [Int: TrialRecord] {
    Dictionary(records.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
}

/// The warning attached to a result whose run was stopped by the user before it decided.
func interruptionWarning(counted: Int, target: Int) -> String {
    "interrupted by the user after \(counted) of at most \(target) trials: no verdict (completed trials kept)"
}
