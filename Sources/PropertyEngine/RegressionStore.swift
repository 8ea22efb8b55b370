import Foundation
import Synchronization

/// One persisted failing case: the property, where it was found, and its shrunk choices.
public struct RegressionEntry: Codable, Equatable, Sendable {
    /// The property's name.
    public let property: String
    /// The root seed of the run that found it.
    public let rootSeed: UInt64
    /// The trial that found it.
    public let trial: Int
    /// The shrunk choice sequence; replaying it regenerates the minimal counterexample.
    public let choices: [UInt64]

    /// Creates an entry.
    public init(property: String, rootSeed: UInt64, trial: Int, choices: [UInt64]) {
        self.property = property
        self.rootSeed = rootSeed
        self.trial = trial
        self.choices = choices
    }
}

/// A regressions file in the repository (like proptest's): failing cases are appended when
/// found and replayed first on every later run. Written atomically (temporary file + rename).
public struct RegressionStore: Sendable {
    /// The file's location.
    public let file: URL

    /// The store at `file` (created on first `add`).
    public init(file: URL) { self.file = file }

    /// Serialises writers within this process; the rename makes each write atomic on disk.
    private static let lock = Mutex<Void>(())

    struct Contents: Codable {
        var version = 1
        var entries: [RegressionEntry] = []
    }

    /// All entries (none if the file does not exist); a malformed file is a typed error.
    public func entries() throws -> [RegressionEntry] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        do {
            return try JSONDecoder().decode(Contents.self, from: Data(contentsOf: file)).entries
        } catch {
            throw PropertyEngineError.regressionsFile(path: file.path, problem: "cannot be read: \(error)")
        }
    }

    /// The entries for one property, in file order.
    public func entries(for property: String) throws -> [RegressionEntry] {
        try entries().filter { $0.property == property }
    }

    /// Adds `entry` unless an identical one is present; atomic write.
    public func add(_ entry: RegressionEntry) throws {
        try Self.lock.withLock { _ in
            var contents = Contents(entries: try entries())
            if contents.entries.contains(entry) { return }
            contents.entries.append(entry)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(contents)
            let temporary = file.deletingLastPathComponent()
                .appendingPathComponent(".\(file.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
            do {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: temporary)
                if rename(temporary.path, file.path) != 0 {
                    throw PropertyEngineError.regressionsFile(path: file.path, problem: "rename failed (errno \(errno))")
                }
            } catch let error as PropertyEngineError {
                throw error
            } catch {
                throw PropertyEngineError.regressionsFile(path: file.path, problem: "cannot be written: \(error)")
            }
        }
    }
}
