import PropertyEngine

/// One of the paper's experiments (docs/MATHEMATICS.md §9), reproducible at its published parameters.
public struct PaperExperiment: Sendable, Identifiable {
    /// The id used on the command line and in file names, e.g. `fig3b`, `softmax-vs-L`.
    public let id: String
    /// What it shows.
    public let title: String
    /// The published parameters, as text.
    public let parameters: String
    /// Runs per configuration in the paper (10).
    public let publishedRuns: Int
    let body: @Sendable (ExperimentOptions) throws -> ExperimentResult

    /// Runs the experiment; its figures say when `options` sample less than the published protocol.
    public func run(_ options: ExperimentOptions) throws -> ExperimentResult {
        var options = options
        options.ledgerScope = options.ledger.map { RunLedger.Scope(ledger: $0, experiment: id, seed: options.seed) }
        return ExperimentFigures.annotated(try body(options), options: options, publishedRuns: publishedRuns)
    }
}

/// How to run an experiment: the seed, how many runs, how many sweep points, worker threads,
/// and the profile that chose them (printed on reduced figures).
public struct ExperimentOptions: Sendable {
    /// Root seed: run r of experiment e draws from RandomStream(seed).child(e).child(r).
    public var seed: UInt64
    /// Runs per configuration (the paper uses 10).
    public var runs: Int
    /// For sweeps: use every k-th point of the published grid (1 = all).
    public var sweepStride: Int
    /// Worker threads for SGD.
    public var workers: Int
    /// Covariances to draw for the spread of the headline numbers: the experiment also runs under
    /// seeds `seed + 1 ... seed + seedCount - 1` (each draws its own S), and the report gives quartiles.
    public var seedCount = 1
    /// The budget profile that chose `runs` and `sweepStride`, if any (figures name it).
    public var profile: Profile?
    /// Where the runs are reused from, recorded to, restricted to one shard, and stopped on
    /// cancellation (nil: every run computed, nothing kept). Results do not depend on it.
    public var ledger: RunLedger?
    /// The ledger's keys for the experiment being run (set by `PaperExperiment.run`).
    var ledgerScope: RunLedger.Scope?

    /// The options of the spread's covariance `k` (0 = these): seed `seed + k`. Every place that
    /// runs the spread (the report, a shard of it) derives its seeds here, so shard keys match.
    public func seedVariant(_ k: Int) -> ExperimentOptions {
        var o = self
        o.seed = seed &+ UInt64(k)
        return o
    }

    /// Options; defaults reproduce the paper's 10 runs on every sweep point.
    public init(seed: UInt64, runs: Int = 10, sweepStride: Int = 1, workers: Int = 2, profile: Profile? = nil) {
        self.seed = seed
        self.runs = runs
        self.sweepStride = sweepStride
        self.workers = workers
        self.profile = profile
    }
}
