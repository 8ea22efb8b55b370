import Foundation
import PaperClaims
import PropertyEngine

/// The partial results of one shard of a run (`verify --shard k/N`): the per-trial records of
/// its trial indices for every selected claim, with everything `merge` needs to check that the
/// shards belong together. Versioned like `results.json`.
public struct ShardFile: Codable, Equatable, Sendable {
    /// The schema version this tool writes and reads.
    public static let currentSchemaVersion = 1

    /// The schema version of this file.
    public var schemaVersion: Int
    /// Always "shard" (tells a shard file from a results file).
    public var kind: String
    /// Which shard.
    public var shard: Shard
    /// The profile (fixes the budgets).
    public var profile: Profile
    /// The root seed shared by all shards.
    public var rootSeed: UInt64
    /// The family-wise false-fail rate of the run.
    public var familyFalseFailRate: Double
    /// The selected claim ids, in order (the same in every shard).
    public var claims: [String]
    /// The records, one entry per claim.
    public var records: [ShardRecords]
    /// True if the shard was stopped (Ctrl-C) before it finished: merge refuses it.
    public var interrupted: Bool
    /// Start of the shard's run, ISO 8601 UTC.
    public var startedAt: String
    /// Wall-clock seconds.
    public var durationSeconds: Double
    /// Where the shard ran.
    public var environment: RunEnvironment
    /// The selected experiments, in order (nil or empty: claims only, as `verify --shard` writes).
    public var experiments: [String]?
    /// How the experiments were run (the same in every shard).
    public var experimentPlan: ExperimentPlan?
    /// The experiment runs this shard computed, by ledger key (see `RunLedger`).
    public var runs: [String: AuditedRun]?
    /// What run this shard belongs to, as its journal records it: the catalogue digest, the code
    /// (commit, uncommitted changes) and the covariance file's digest, which `merge` compares
    /// across shards and with its own (nil in files written before it was kept).
    public var header: RunJournal.Header?

    /// The options the experiments of a sharded run share, saved so `merge` runs them the same way.
    public struct ExperimentPlan: Codable, Equatable, Sendable {
        /// Runs per configuration.
        public var runs: Int
        /// Every k-th sweep point.
        public var sweepStride: Int
        /// Covariances (seeds) per experiment.
        public var seedCount: Int
        /// The profile that chose them (figures name it).
        public var profile: Profile?

        /// The plan of `options`.
        public init(_ options: ExperimentOptions) {
            runs = options.runs
            sweepStride = options.sweepStride
            seedCount = options.seedCount
            profile = options.profile
        }

        /// The options of the plan for `seed` on `workers` threads.
        public func options(seed: UInt64, workers: Int) -> ExperimentOptions {
            var o = ExperimentOptions(seed: seed, runs: runs, sweepStride: sweepStride, workers: workers, profile: profile)
            o.seedCount = seedCount
            return o
        }
    }

    /// A shard file from its parts.
    public init(shard: Shard, profile: Profile, rootSeed: UInt64, familyFalseFailRate: Double, claims: [String],
                records: [ShardRecords], interrupted: Bool, startedAt: Date, durationSeconds: Double, environment: RunEnvironment) {
        self.schemaVersion = Self.currentSchemaVersion
        self.kind = "shard"
        self.shard = shard
        self.profile = profile
        self.rootSeed = rootSeed
        self.familyFalseFailRate = familyFalseFailRate
        self.claims = claims
        self.records = records
        self.interrupted = interrupted
        self.startedAt = ResultsFile.timestamp(startedAt)
        self.durationSeconds = durationSeconds
        self.environment = environment
    }

    /// Reads a shard file, checking kind and schema version.
    public static func read(from url: URL) throws(ReportsError) -> ShardFile {
        struct Header: Decodable { let schemaVersion: Int?; let kind: String? }
        let header = try JSONFormat.read(Header.self, from: url, what: "a shard file")
        guard header.kind == "shard" else {
            throw .unreadableFile(path: url.path, problem: "not a shard file (write shard files with `attention-pca verify --shard k/N`)")
        }
        guard header.schemaVersion == currentSchemaVersion else {
            throw .unsupportedSchema(path: url.path, found: header.schemaVersion ?? 0, supported: currentSchemaVersion)
        }
        return try JSONFormat.read(ShardFile.self, from: url, what: "a shard file")
    }

    /// The conventional file name, `shard-<k>-of-<N>.json`.
    public static func fileName(_ shard: Shard) -> String { "shard-\(shard.index)-of-\(shard.count).json" }

    /// Checks that `shards` are the N distinct, complete shards of one run, and returns the
    /// merged records by claim id (in trial-index order) with the shared run parameters.
    public static func combine(_ shards: [ShardFile]) throws(ReportsError) -> (first: ShardFile, records: [String: [TrialRecord]], runs: [String: AuditedRun]) {
        guard let first = shards.first else { throw .inconsistentShards("no shard files given") }
        let n = first.shard.count
        for s in shards {
            if s.shard.count != n { throw .inconsistentShards("shard \(s.shard) is one of \(s.shard.count), but shard \(first.shard) is one of \(n)") }
            if s.rootSeed != first.rootSeed { throw .inconsistentShards("shard \(s.shard) has seed \(s.rootSeed), shard \(first.shard) has \(first.rootSeed)") }
            if s.profile != first.profile { throw .inconsistentShards("shard \(s.shard) ran profile \(s.profile.rawValue), shard \(first.shard) ran \(first.profile.rawValue)") }
            if s.claims != first.claims { throw .inconsistentShards("shard \(s.shard) selected claims \(s.claims), shard \(first.shard) selected \(first.claims)") }
            if s.familyFalseFailRate != first.familyFalseFailRate { throw .inconsistentShards("shards were run with different --alpha") }
            if s.interrupted { throw .inconsistentShards("shard \(s.shard) was interrupted before it finished; rerun it (it resumes from its journal)") }
            if (s.experiments ?? []) != (first.experiments ?? []) {
                throw .inconsistentShards("shard \(s.shard) selected experiments \(s.experiments ?? []), shard \(first.shard) selected \(first.experiments ?? [])")
            }
            if s.experimentPlan != first.experimentPlan { throw .inconsistentShards("shards were run with different --runs, --stride or --seeds") }
            switch (s.header, first.header) {
            case let (mine?, theirs?):
                if let (field, a, b) = mine.shardDifference(from: theirs) {
                    throw .inconsistentShards("shard \(s.shard) and shard \(first.shard) differ in \(field): \(a) against \(b)")
                }
            case (nil, nil): break
            default: throw .inconsistentShards("shard \(s.shard) and shard \(first.shard) were written by different versions of the tool")
            }
        }
        let indices = shards.map(\.shard.index)
        let duplicates = Set(indices.filter { i in indices.filter { $0 == i }.count > 1 }).sorted()
        if !duplicates.isEmpty { throw .inconsistentShards("shard(s) \(duplicates.map { "\($0)/\(n)" }.joined(separator: ", ")) given more than once") }
        let missing = (1...n).filter { !indices.contains($0) }
        if !missing.isEmpty { throw .inconsistentShards("missing shard(s) \(missing.map { "\($0)/\(n)" }.joined(separator: ", "))") }
        var merged: [String: [TrialRecord]] = [:]
        for s in shards {
            for r in s.records {
                if r.records.contains(where: { !r.shard.contains(trial: $0.index) }) {
                    throw .inconsistentShards("shard \(s.shard) holds records of trials that belong to other shards")
                }
                merged[r.property, default: []] += r.records
            }
        }
        for key in merged.keys { merged[key]!.sort { $0.index < $1.index } }
        var runs: [String: AuditedRun] = [:]
        for s in shards {
            for (key, run) in s.runs ?? [:] {
                if runs[key] == nil { runs[key] = run }   // a pure function of its key: any copy will do
            }
        }
        return (first, merged, runs)
    }
}
