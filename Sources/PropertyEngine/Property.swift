/// Anything the engine can run: a universal or statistical property, type-erased for suites.
///
/// A run is two pieces: `records(for:settings:)` evaluates trials (trial i is a pure function
/// of root seed, property name and i), and `decide(_:settings:falseFailRate:)` replays the
/// sequential decision over records in trial-index order, evaluating any trial it lacks.
/// `run` is `decide` with no records, so sharded and unsharded runs share one code path.
///
/// A conformer implements either `decide` and `records` (as `UniversalProperty` and
/// `StatisticalProperty` do; `run` then comes for free) or only `run` (a wrapper, e.g. one that
/// adjusts settings). Such a wrapper still merges exactly — `decide` falls back to `run` and its
/// shards contribute no records, so `merge` computes its trials — but for sharding to spread its
/// work it should forward `decide` and `records` to the wrapped property too.
public protocol Property: Sendable {
    /// The property's name; it also labels its random stream, so keep it stable.
    var name: String { get }
    /// Universal or statistical.
    var kind: PropertyKind { get }
    /// Runs the property; a statistical one is held to `falseFailRate` if given (run-level
    /// error control), otherwise to its own α. Default: `decide([], ...)`.
    func run(_ settings: Settings, falseFailRate: Double?) -> PropertyResult
    /// The records of the trials belonging to `shard` (all up to the budget, stopping early
    /// after a failing trial, or on cancellation). Default: none (merge computes them).
    func records(for shard: Shard, settings: Settings) -> ShardRecords
    /// The verdict from `records` (any subset of trial indices, e.g. merged shards), evaluating
    /// the trials it needs and lacks; equal to `run` for the same settings. A statistical
    /// property is held to `falseFailRate` if given (run-level error control), else to its own α.
    /// Default: `run` (ignoring the records).
    func decide(_ records: [TrialRecord], settings: Settings, falseFailRate: Double?) -> PropertyResult
    /// Every trial up to `trials` (default: the profile's budget), evaluated without any stop,
    /// for a power analysis. Default: nil (the property cannot be surveyed).
    func survey(trials: Int?, settings: Settings) -> Survey?
}

extension Property {
    /// Runs the property: `decide` with no saved records.
    public func run(_ settings: Settings, falseFailRate: Double?) -> PropertyResult {
        decide([], settings: settings, falseFailRate: falseFailRate)
    }

    /// For conformers that implement only `run`: the verdict computed afresh (same result).
    public func decide(_ records: [TrialRecord], settings: Settings, falseFailRate: Double?) -> PropertyResult {
        run(settings, falseFailRate: falseFailRate)
    }

    /// For conformers that implement only `run`: no records (merge evaluates the trials itself).
    public func records(for shard: Shard, settings: Settings) -> ShardRecords {
        ShardRecords(property: name, shard: shard, records: [], interrupted: settings.cancellation?.isCancelled == true)
    }

    /// For conformers that do not support surveys.
    public func survey(trials: Int?, settings: Settings) -> Survey? { nil }

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
