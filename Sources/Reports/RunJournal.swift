import Foundation
import PaperClaims
import PropertyEngine
import Randomness

/// The checkpoint of a long run: an append-only file next to the output (`<output>.journal`)
/// holding every completed unit of work, a batch of trials of a claim or one run of an experiment
/// at one sweep point, so that a run stopped by Ctrl-C, SIGTERM (`timeout`, a cancelled CI job,
/// Slurm's time limit), SIGKILL or a crash resumes where it stopped and reaches bit-identical
/// results (each unit is a pure function of the seed and its key).
///
/// Format: one line per record, `<checksum> <json>`, the checksum the FNV-1a 64-bit hash of the
/// JSON bytes in 16 hex digits. The first record is the header (what run this is); each line is
/// written with a single `write` on a file opened for appending and then `fsync`ed, so a kill
/// leaves at most a torn last line, which is recognised by its checksum (or missing newline),
/// dropped and cut off when the journal is reopened: SIGKILL loses at most the units in flight.
/// A resumed run refuses a journal whose header differs from its own, naming the field.
public final class RunJournal: TrialJournal, @unchecked Sendable {
    /// What run a journal belongs to: everything that decides the units' values and keys.
    public struct Header: Codable, Equatable, Sendable {
        /// The command (`verify`, `report`, `reproduce`).
        public var command: String
        /// The profile.
        public var profile: Profile
        /// The root seed.
        public var rootSeed: UInt64
        /// The family-wise false-fail rate (decides the claims' α).
        public var familyFalseFailRate: Double
        /// The selected claims, in order.
        public var claims: [String]
        /// FNV-1a 64 of the selected claims' catalogue entries (statements, instances, tolerances, budgets).
        public var catalogueDigest: String
        /// The selected experiments, in order.
        public var experiments: [String]
        /// Runs per configuration, sweep stride and seeds of the experiments (nil: none selected).
        public var runs: Int?, sweepStride: Int?, seedCount: Int?
        /// The shard (`k/N`), if the run is one.
        public var shard: String?
        /// The git commit of the code (a different commit may compute different values).
        public var gitCommit: String
        /// Whether the code had uncommitted changes (then the commit alone does not name it).
        public var gitDirty: Bool?
        /// FNV-1a 64 of the bytes of the `--covariance` or `--data` file, with how it was read
        /// ("data, standardised"); nil without one. The catalogue digest holds only its path.
        public var inputDigest: String?

        /// A header from its parts.
        public init(command: String, profile: Profile, rootSeed: UInt64, familyFalseFailRate: Double, claims: [ClaimUnderTest],
                    experiments: [ExperimentUnderTest], options: ExperimentOptions?, shard: Shard?, gitCommit: String,
                    gitDirty: Bool?, inputDigest: String?) {
            self.command = command
            self.profile = profile
            self.rootSeed = rootSeed
            self.familyFalseFailRate = familyFalseFailRate
            self.claims = claims.map(\.entry.id)
            let entries = (try? JSONFormat.data(claims.map(\.entry))) ?? Data()
            self.catalogueDigest = RunJournal.checksum(entries)
            self.experiments = experiments.map(\.id)
            if !experiments.isEmpty, let options {
                runs = options.runs
                sweepStride = options.sweepStride
                seedCount = options.seedCount
            }
            self.shard = shard?.description
            self.gitCommit = gitCommit
            self.gitDirty = gitDirty
            self.inputDigest = inputDigest
        }

        /// The digest of the covariance or data file at `path` as `inputDigest` records it: its
        /// bytes' FNV-1a 64 and how it is read (`kind`, e.g. "covariance", "data, standardised").
        public static func inputDigest(path: String, kind: String) throws(ReportsError) -> String {
            do {
                return "\(RunJournal.checksum(try Data(contentsOf: URL(fileURLWithPath: path)))) (\(kind))"
            } catch {
                throw .unreadableFile(path: path, problem: error.localizedDescription)
            }
        }

        /// The first field in which `self` (the journal's) and `other` (this run's) differ, with both values.
        func difference(from other: Header) -> (field: String, journal: String, run: String)? {
            firstDifference(from: other) { _ in true }
        }

        /// The first field in which two shards' headers differ: any but the shard itself.
        public func shardDifference(from other: Header) -> (field: String, journal: String, run: String)? {
            firstDifference(from: other) { $0 != "shard" }
        }

        /// The first field in which the shards' header (`self`) and the merging process's differ
        /// among those the merge recomputes with: the catalogue digest, the code and the input file.
        public func recomputationDifference(from other: Header) -> (field: String, journal: String, run: String)? {
            firstDifference(from: other) { Self.recomputedWith.contains($0) }
        }

        private static let recomputedWith: Set<String> = ["catalogue (digest of the selected entries)", "git commit", "uncommitted changes",
                                                          "--covariance/--data file (digest of its bytes)"]

        /// The first field named so that `compared` holds in which `self` and `other` differ.
        private func firstDifference(from other: Header, comparing compared: (String) -> Bool) -> (field: String, journal: String, run: String)? {
            let fields: [(String, String, String)] = [
                ("command", command, other.command), ("profile", profile.rawValue, other.profile.rawValue),
                ("seed", String(rootSeed), String(other.rootSeed)),
                ("--alpha", "\(familyFalseFailRate)", "\(other.familyFalseFailRate)"),
                ("claim selection", claims.joined(separator: ", "), other.claims.joined(separator: ", ")),
                ("catalogue (digest of the selected entries)", catalogueDigest, other.catalogueDigest),
                ("experiment selection", experiments.joined(separator: ", "), other.experiments.joined(separator: ", ")),
                ("--runs", runs.map(String.init) ?? "–", other.runs.map(String.init) ?? "–"),
                ("--stride", sweepStride.map(String.init) ?? "–", other.sweepStride.map(String.init) ?? "–"),
                ("--seeds", seedCount.map(String.init) ?? "–", other.seedCount.map(String.init) ?? "–"),
                ("shard", shard ?? "none", other.shard ?? "none"), ("git commit", gitCommit, other.gitCommit),
                ("uncommitted changes", Self.describe(gitDirty), Self.describe(other.gitDirty)),
                ("--covariance/--data file (digest of its bytes)", inputDigest ?? "none", other.inputDigest ?? "none"),
            ]
            return fields.first { compared($0.0) && $0.1 != $0.2 }.map { (field: $0.0, journal: $0.1, run: $0.2) }
        }

        private static func describe(_ dirty: Bool?) -> String { dirty.map { $0 ? "yes" : "no" } ?? "unknown" }
    }

    /// One line of the journal.
    struct Entry: Codable {
        var header: Header?
        var property: String?
        var trials: [TrialRecord]?
        var key: String?
        var run: AuditedRun?
    }

    /// The journal file.
    public let url: URL
    /// The run it belongs to.
    public let header: Header
    /// Units found when the journal was opened (0 for a new journal).
    public let resumedUnits: Int
    /// Whether a torn last line (a kill during a write) was dropped on opening.
    public let droppedTornLine: Bool
    /// Every experiment run in the journal, by ledger key (see `RunLedger`).
    public var runs: [String: AuditedRun] { lock.withLock { storedRuns } }

    private let descriptor: Int32
    private let lock = NSLock()
    private var trials: [String: [TrialRecord]] = [:]
    private var storedRuns: [String: AuditedRun] = [:]

    /// The journal of an output: `<output>.journal` beside it.
    public static func location(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".journal")
    }

    /// The header of the journal at `url`, if there is a readable one (used to adopt its seed).
    public static func header(at url: URL) -> Header? {
        // Reads only up to the first newline: a long run's journal holds megabytes of units.
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var line = Data()
        while let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            if let newline = chunk.firstIndex(of: 0x0A) {
                line.append(chunk[chunk.startIndex..<newline])
                return try? parse(line, url: url, line: 1).header
            }
            line.append(chunk)
        }
        return nil
    }

    /// Opens the journal at `url` for the run `header`: creates it, or resumes it if it exists
    /// (refusing one of another run, dropping a torn last line).
    public init(at url: URL, header: Header) throws(ReportsError) {
        self.url = url
        self.header = header
        var loaded = 0
        var keep = 0
        var torn = false
        if let data = FileManager.default.contents(atPath: url.path), !data.isEmpty {
            var start = data.startIndex
            var line = 0
            var entries: [Entry] = []
            while start < data.endIndex {
                line += 1
                guard let newline = data[start...].firstIndex(of: 0x0A) else { torn = true; break }
                let entry: Entry
                do {
                    entry = try Self.parse(data[start..<newline], url: url, line: line)
                } catch {
                    if newline + 1 == data.endIndex { torn = true; break }   // the last line may be torn
                    throw error
                }
                entries.append(entry)
                start = newline + 1
                keep = start - data.startIndex
            }
            if let found = entries.first?.header {
                if let (field, journal, run) = found.difference(from: header) {
                    throw .journalMismatch(path: url.path, field: field, journal: journal, run: run)
                }
            } else if !entries.isEmpty {
                throw .corruptJournal(path: url.path, line: 1, problem: "no header")
            }   // else: killed while writing its header; start afresh
            for entry in entries.dropFirst() {
                if let property = entry.property, let records = entry.trials { trials[property, default: []] += records; loaded += 1 }
                if let key = entry.key, let run = entry.run { storedRuns[key] = run; loaded += 1 }
            }
        }
        resumedUnits = loaded
        droppedTornLine = torn
        let fd = open(url.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unwritableOutput(path: url.path, problem: String(cString: strerror(errno))) }
        descriptor = fd
        // Cut a torn tail off, so the next record starts on a line of its own.
        guard ftruncate(fd, off_t(keep)) == 0, lseek(fd, 0, SEEK_END) >= 0 else {
            close(fd)
            throw .unwritableOutput(path: url.path, problem: String(cString: strerror(errno)))
        }
        if keep == 0 { try append(Entry(header: header)) }
    }

    deinit { close(descriptor) }

    /// The checksum of a record: FNV-1a 64, 16 hex digits.
    static func checksum(_ bytes: some Sequence<UInt8>) -> String {
        let hex = String(StableHash.fnv1a(bytes: bytes), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func parse(_ line: Data, url: URL, line number: Int) throws(ReportsError) -> Entry {
        guard line.count > 17, line[line.startIndex + 16] == 0x20 else {
            throw .corruptJournal(path: url.path, line: number, problem: "not a journal record")
        }
        let sum = String(decoding: line.prefix(16), as: UTF8.self)
        let json = line.dropFirst(17)
        guard checksum(json) == sum else { throw .corruptJournal(path: url.path, line: number, problem: "checksum mismatch") }
        do { return try JSONFormat.decoder().decode(Entry.self, from: Data(json)) } catch {
            throw .corruptJournal(path: url.path, line: number, problem: "undecodable record: \(error)")
        }
    }

    /// Appends one record with a single write, then flushes it to disk.
    private func append(_ entry: Entry) throws(ReportsError) {
        let encoder = JSONFormat.encoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json: Data
        do { json = try encoder.encode(entry) } catch {
            throw .unwritableOutput(path: url.path, problem: "cannot encode a journal record: \(error)")
        }
        var line = Data(Self.checksum(json).utf8)
        line.append(0x20)
        line.append(json)
        line.append(0x0A)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(descriptor) == 0 else {
            throw .unwritableOutput(path: url.path, problem: written < 0 ? String(cString: strerror(errno)) : "short write")
        }
    }

    /// The trials of `property` found in the journal.
    public func completedTrials(of property: String) -> [TrialRecord] { lock.withLock { trials[property] ?? [] } }

    /// Journals a batch of trials (a failed write is reported once on standard error; the run goes on).
    public func record(_ records: [TrialRecord], of property: String) {
        lock.withLock { keep { () throws(ReportsError) in try append(Entry(property: property, trials: records)) } }
    }

    /// Journals one experiment run under its ledger key.
    public func record(run: AuditedRun, key: String) {
        lock.withLock { keep { () throws(ReportsError) in try append(Entry(key: key, run: run)) } }
    }

    private var warned = false
    private func keep(_ write: () throws(ReportsError) -> Void) {
        do { try write() } catch {
            if !warned { FileHandle.standardError.write(Data("warning: \(error): this run can no longer be resumed from its journal\n".utf8)) }
            warned = true
        }
    }

    /// Deletes the journal: the run completed and its results are written.
    public func remove() { try? FileManager.default.removeItem(at: url) }
}
