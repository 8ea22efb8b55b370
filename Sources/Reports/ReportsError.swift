/// Bad input to the reporting commands, each case naming the problem in a sentence the user
/// can act on (printed by the command line as `error: …`, with a non-zero exit).
public enum ReportsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A results or shard file that cannot be read or decoded.
    case unreadableFile(path: String, problem: String)
    /// A results file written with a schema this tool does not know.
    case unsupportedSchema(path: String, found: Int, supported: Int)
    /// An output location that cannot be created or written.
    case unwritableOutput(path: String, problem: String)
    /// Shard files that do not form one complete run.
    case inconsistentShards(String)
    /// A claim or experiment id that is not known.
    case unknownName(kind: String, name: String, known: [String])
    /// An output another run is writing (it holds the output's lock).
    case outputInUse(path: String, holder: String)
    /// A run journal written by a different run (another profile, seed, selection, catalogue or commit).
    case journalMismatch(path: String, field: String, journal: String, run: String)
    /// A run journal damaged somewhere other than its last line (which a kill may tear).
    case corruptJournal(path: String, line: Int, problem: String)
    /// Any other invalid request, explained.
    case invalidRequest(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .unreadableFile(path, problem): return "cannot read \(path): \(problem)"
        case let .unsupportedSchema(path, found, supported):
            return "\(path) has schemaVersion \(found), but this tool reads schemaVersion \(supported); regenerate it with this version of attention-pca"
        case let .unwritableOutput(path, problem): return "cannot write \(path): \(problem)"
        case let .inconsistentShards(why): return "the shard files do not form one run: \(why)"
        case let .unknownName(kind, name, known):
            return "unknown \(kind) '\(name)'; known: \(known.isEmpty ? "(none)" : known.joined(separator: ", "))"
        case let .outputInUse(path, holder):
            return "\(path) is being written by another run (\(holder)); wait for it to finish or choose another --output"
        case let .journalMismatch(path, field, journal, run):
            return "the journal \(path) belongs to another run: its \(field) is \(journal), this run's is \(run); rerun with the "
                + "journal's options to resume it, or choose another --output (or delete the journal) to start afresh"
        case let .corruptJournal(path, line, problem):
            return "the journal \(path) is damaged at line \(line) (\(problem)); delete it to start afresh"
        case let .invalidRequest(why): return why
        }
    }
}
