import Foundation

/// Reserves an output path before any work: creates its folder, proves it writable by creating a
/// lock file next to it, and takes an exclusive lock on that file, so that an unwritable output is
/// found in the first second rather than after an hour of computing, and two runs with the same
/// output cannot overwrite each other (the second refuses to start, naming the first one's process).
/// The lock is released when the reservation is released (or the process dies: `flock` locks do not
/// outlive their process, so a killed run never leaves a stale lock behind).
public final class OutputReservation: @unchecked Sendable {
    /// The output path reserved.
    public let path: URL
    /// The lock file (`.<name>.lock` beside the output).
    public let lockFile: URL
    private let descriptor: Int32

    /// Reserves `path` (a file or a folder to be written atomically later).
    public init(_ path: URL) throws(ReportsError) {
        self.path = path
        let parent = path.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw .unwritableOutput(path: parent.path, problem: "the folder cannot be created (\(error.localizedDescription))")
        }
        lockFile = parent.appendingPathComponent(".\(path.lastPathComponent).lock")
        let fd = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .unwritableOutput(path: path.path, problem: "cannot create a file in \(parent.path) (\(String(cString: strerror(errno))))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOf: lockFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw .outputInUse(path: path.path, holder: holder.map { $0.isEmpty ? "a process" : $0 } ?? "a process")
        }
        descriptor = fd
        let note = "process \(ProcessInfo.processInfo.processIdentifier) on \(ProcessInfo.processInfo.hostName), started \(ResultsFile.timestamp(Date()))\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        // Unlock first, then remove the file only if it still names this process: removing it while
        // locked would let a second run lock a fresh file while a third locks this one; and a run
        // that took the lock after ours rewrote the file with its own pid, which must stay.
        flock(descriptor, LOCK_UN)
        close(descriptor)
        let pid = "process \(ProcessInfo.processInfo.processIdentifier) "
        if let note = try? String(contentsOf: lockFile, encoding: .utf8), note.hasPrefix(pid) {
            try? FileManager.default.removeItem(at: lockFile)
        }
    }
}
