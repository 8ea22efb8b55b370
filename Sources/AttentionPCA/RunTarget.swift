import ArgumentParser
import Foundation
import PropertyEngine
import Reports

/// Where a run of `verify`, `report` or `reproduce` writes and what it resumes: the command's
/// `--shard`, `--output` and `--resume` resolved once, the same way for all three, and the one
/// way a shard's file is written.
struct RunTarget {
    /// The shard this process runs (`--shard k/N`), if any.
    let shard: Shard?
    /// The output that `--output` or `--resume` names (they must agree; `--resume` needs a journal).
    let output: String?

    /// Resolves the options; a malformed `--shard`, disagreeing outputs or a `--resume` without a
    /// journal are errors before any work.
    init(shard: String?, output: String?, resume: String?) throws {
        self.shard = try shard.map { try Shard(parsing: $0) }
        self.output = try resumableOutput(output: output, resume: resume)
    }

    /// The file or folder the run writes: a shard's file (`--output`, else shard-<k>-of-<N>.json),
    /// else the output (nil: none named, the command's default applies).
    var path: String? { shard.map { output ?? ShardFile.fileName($0) } ?? output }

    /// The seed to run with: `given`, else that of the journal beside `path` (a rerun of a
    /// nightly command resumes with the seed it drew), else nil (the profile's).
    func seed(given: UInt64?) -> UInt64? { resumedSeed(given: given, output: path) }

    /// Writes shard `file` stamped with the run's journal `header` to `url` atomically, says what
    /// it holds, and deletes the journal once the shard is complete; returns the exit status
    /// (success, or the interruption's if the shard was stopped and can resume).
    static func write(_ file: ShardFile, header: RunJournal.Header, to url: URL, journal: RunJournal?) throws -> ExitCode {
        var file = file
        file.header = header
        try AtomicWriter.write(JSONFormat.data(file), to: url)
        let records = file.records.map(\.records.count).reduce(0, +)
        print("wrote \(url.path): shard \(file.shard) of \(file.claims.count) claims (\(records) trial records) and "
            + "\(file.experiments?.count ?? 0) experiments (\(file.runs?.count ?? 0) runs), seed \(file.rootSeed)"
            + (file.interrupted ? "; interrupted: rerun the same command to resume" : ""))
        if !file.interrupted { journal?.remove() }
        return file.interrupted ? interruptionStatus : .success
    }
}
