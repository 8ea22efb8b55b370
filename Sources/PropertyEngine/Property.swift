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

extension TrialLoop.Totals {
    /// How many times the median trial's time a trial may take before the health check calls it
    /// an outlier: an instance an order of magnitude costlier than the typical one.
    static let slowTrialFactor = 10.0

    /// The health warning for an outlier trial: slower than both the profile's floor `limit` and
    /// `slowTrialFactor` x the median counted trial. A claim whose trials are all slow (whole
    /// training runs) is not warned about: the check looks for the instance that stands out.
    func slowTrialWarning(limit: Double) -> String? {
        guard seconds.count >= 2, slowest > limit else { return nil }
        let sorted = seconds.sorted(), middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        guard slowest > Self.slowTrialFactor * median else { return nil }
        return "health check: trial \(slowestTrial) took \(Self.format(slowest)) s, \(Int((slowest / median).rounded()))x the median trial "
            + "(\(Self.format(median)) s): an instance far costlier than the rest"
    }

    /// Seconds to 2 significant digits, without exponent notation.
    static func format(_ seconds: Double) -> String {
        seconds >= 10 ? String(format: "%.0f", seconds) : seconds >= 1 ? String(format: "%.1f", seconds) : String(format: "%.2g", seconds)
    }
}
