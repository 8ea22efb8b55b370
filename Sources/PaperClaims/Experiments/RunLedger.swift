import Foundation
import PropertyEngine
import Randomness
import Synchronization

/// The bookkeeping of an experiment run's units of work, the single runs of a sweep (one run at
/// one sweep point). A run is a pure function of (seed, experiment, configuration, run), so a
/// ledger can:
///
/// - take runs completed earlier from `known` (a resumed run's journal, or the merged shards)
///   instead of computing them, and hand every run it computes to `record` (the journal);
/// - hand a run an earlier experiment obtained to a later one that asks for the same key (Fig. 2
///   overlays Fig. 7a's SGD runs), so a report computes it once;
/// - compute only the runs of one `shard` of N (`report --shard k/N`): shard k computes the runs
///   whose key hashes (FNV-1a 64) to k - 1 mod N, a split that depends on nothing but the key, and
///   stands a placeholder in for the others (that experiment's result is then meaningless and is
///   discarded; `merge` rebuilds it from every shard's runs, computing any run no shard holds);
/// - stop on `cancellation`: before each run, and within a long run between its steps (see
///   `RunInterruption`); a run stopped part-way is thrown away, never recorded.
///
/// Keys name the experiment, the seed, the sweep (in the order the experiment performs its
/// sweeps) and the job (point x runs + run), e.g. `fig1 seed 1 sweep 0 job 3`.
public final class RunLedger: Sendable {
    /// The shard whose runs are computed (nil: all).
    public let shard: Shard?
    /// Set on SIGINT/SIGTERM: no further run starts, runs in flight stop at their next step.
    public let cancellation: CancellationFlag?
    private let known: [String: AuditedRun]
    private let record: (@Sendable (String, AuditedRun) -> Void)?
    private let state = Mutex(State())

    private struct State {
        var kept: [String: AuditedRun] = [:]
        var units = UnitCounts()
    }

    /// How a ledger's units of work were obtained, so that a report can say what its wall time
    /// measured: a figure whose runs were all reused took milliseconds for a reason.
    public struct UnitCounts: Sendable, Equatable, Codable {
        /// Runs computed here.
        public var computed = 0
        /// Runs taken from `known`: a resumed run's journal, or the merged shards.
        public var resumed = 0
        /// Runs an earlier experiment of this process computed or took (Fig. 2 overlays Fig. 7a's).
        public var shared = 0
        /// Runs of other shards (placeholders stood in for them).
        public var skipped = 0

        /// No units.
        public init() {}

        /// The units counted since `earlier`, a snapshot of the same ledger.
        public func since(_ earlier: UnitCounts) -> UnitCounts {
            var d = UnitCounts()
            d.computed = computed - earlier.computed
            d.resumed = resumed - earlier.resumed
            d.shared = shared - earlier.shared
            d.skipped = skipped - earlier.skipped
            return d
        }
    }

    /// A ledger reusing `known` runs, computing those of `shard` (all if nil), handing each new run
    /// to `record`, and stopping on `cancellation`.
    public init(known: [String: AuditedRun] = [:], shard: Shard? = nil, cancellation: CancellationFlag? = nil,
                record: (@Sendable (String, AuditedRun) -> Void)? = nil) {
        self.known = known
        self.shard = shard
        self.cancellation = cancellation
        self.record = record
    }

    /// Every run this ledger took from `known` or computed (not the placeholders), by key: a
    /// shard's contribution to `merge`.
    public var runs: [String: AuditedRun] { state.withLock { $0.kept } }
    /// How this ledger's units were obtained so far.
    public var units: UnitCounts { state.withLock { $0.units } }

    /// Whether the run under `key` is `shard`'s: its key's FNV-1a 64 hash is k - 1 mod N.
    public static func belongs(_ key: String, to shard: Shard) -> Bool {
        shard.contains(trial: Int(StableHash.fnv1a(key) % UInt64(shard.count)))
    }

    /// The run under `key`: one an earlier experiment already obtained, known, a placeholder if
    /// another shard's, or computed (and recorded) unless the run is cancelled first or while it
    /// runs. `compute` is given the question its trainer asks before every step (true once the
    /// run is cancelled: it then stops between steps and is discarded).
    public func run(_ key: String, _ compute: (_ shouldStop: @escaping @Sendable () -> Bool) throws -> AuditedRun) throws -> AuditedRun {
        let earlier: AuditedRun? = state.withLock { s in
            if let run = s.kept[key] {
                s.units.shared += 1
                return run
            }
            if let run = known[key] {
                s.kept[key] = run
                s.units.resumed += 1
                return run
            }
            return nil
        }
        if let earlier { return earlier }
        if let shard, !Self.belongs(key, to: shard) {
            state.withLock { $0.units.skipped += 1 }
            return Self.placeholder
        }
        if cancellation?.isCancelled == true { throw RunInterruption.Stopped() }
        let interruption = RunInterruption(cancellation)
        let run = try interruption.during { try compute(interruption.stopCondition) }
        state.withLock { s in
            s.kept[key] = run
            s.units.computed += 1
        }
        record?(key, run)
        return run
    }

    /// Stands in for a run another shard computes: a diverged run with no trajectory, which every
    /// figure and summary already handles (it is never shown: the shard's result is discarded).
    public static let placeholder = AuditedRun(
        verdict: ExperimentResult.RunVerdict(label: "(another shard's run)", outcome: .diverged, finalAlignment: .nan, relativeDistance: nil,
                                             stepsTaken: 0, stepsNeeded: nil, diagnosis: .diverged),
        trajectory: [], finalParameters: [], diagnosis: .diverged)

    /// The keys of one experiment invocation (one experiment under one seed): it numbers the
    /// sweeps in the order the experiment performs them.
    final class Scope: Sendable {
        let ledger: RunLedger
        let prefix: String
        private let sweeps = Mutex(0)

        init(ledger: RunLedger, experiment: String, seed: UInt64) {
            self.ledger = ledger
            self.prefix = "\(experiment) seed \(seed)"
        }

        /// The key prefix of the next sweep.
        func nextSweep() -> String {
            sweeps.withLock { n in
                defer { n += 1 }
                return "\(prefix) sweep \(n)"
            }
        }
    }
}

/// Stops a long run between its steps when the run is cancelled: the ledger hands the run its
/// `stopCondition`, which the protocols pass to the trainers as their `shouldStop`, asked before
/// every step. A run stopped part-way is discarded (`during` throws `Stopped`), never recorded.
/// While the flag is clear nothing in the run changes, so results are bit-identical.
final class RunInterruption: Sendable {
    /// Thrown when a run was cancelled before or while it ran.
    struct Stopped: Error, CustomStringConvertible {
        var description: String { "interrupted (SIGINT or SIGTERM) before this run finished" }
    }

    private let flag: CancellationFlag?
    private let tripped = Atomic<Bool>(false)

    init(_ flag: CancellationFlag?) { self.flag = flag }

    /// Whether the run should stop now (and, if so, remembers that it was cut short).
    var shouldStop: Bool {
        guard flag?.isCancelled == true else { return false }
        tripped.store(true, ordering: .relaxed)
        return true
    }

    /// `shouldStop` as the trainers ask it.
    var stopCondition: @Sendable () -> Bool { { [self] in shouldStop } }

    /// `compute()`, throwing `Stopped` if this interruption cut it short (whatever `compute`
    /// returned or threw then).
    func during(_ compute: () throws -> AuditedRun) throws -> AuditedRun {
        let run: AuditedRun
        do {
            run = try compute()
        } catch {
            if tripped.load(ordering: .relaxed) { throw Stopped() }
            throw error
        }
        if tripped.load(ordering: .relaxed) { throw Stopped() }
        return run
    }

}
