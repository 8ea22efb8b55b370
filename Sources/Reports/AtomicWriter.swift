import Foundation

/// Writes files and folders so that a reader never sees a half-written one: everything goes
/// into a temporary sibling first and is renamed into place (rename is atomic within a file
/// system). A failed or interrupted write leaves the previous version untouched.
public enum AtomicWriter {
    /// Writes `data` to `url` via a temporary file in the same folder and a rename.
    public static func write(_ data: Data, to url: URL) throws(ReportsError) {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .unwritableOutput(path: folder.path, problem: "the folder cannot be created (\(error.localizedDescription))")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try data.write(to: temporary)
        } catch {
            throw .unwritableOutput(path: url.path, problem: "\(error.localizedDescription)")
        }
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw .unwritableOutput(path: url.path, problem: "rename failed: \(String(cString: strerror(code)))")
        }
    }

    /// Fails now, before any work, if files cannot be written into `folder` (creating it if
    /// needed): a probe file is written and removed.
    public static func checkWritable(folder: URL) throws(ReportsError) {
        let probe = folder.appendingPathComponent(".write-probe-\(ProcessInfo.processInfo.processIdentifier)")
        try write(Data(), to: probe)
        try? FileManager.default.removeItem(at: probe)
    }

    /// Builds a folder at `url` atomically: `fill` writes into a fresh temporary sibling, which
    /// then replaces `url` (an existing folder is moved aside first and removed afterwards).
    public static func writeFolder(at url: URL, _ fill: (URL) throws -> Void) throws {
        let parent = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw ReportsError.unwritableOutput(path: parent.path, problem: "the folder cannot be created (\(error.localizedDescription))")
        }
        let pid = ProcessInfo.processInfo.processIdentifier
        let temporary = parent.appendingPathComponent(".\(url.lastPathComponent).tmp-\(pid)")
        try? FileManager.default.removeItem(at: temporary)
        do {
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw ReportsError.unwritableOutput(path: parent.path, problem: "cannot create a folder there (\(error.localizedDescription))")
        }
        do {
            try fill(temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        let old = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(pid)")
        let existed = FileManager.default.fileExists(atPath: url.path)
        if existed, rename(url.path, old.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw ReportsError.unwritableOutput(path: url.path, problem: "cannot move the previous version aside: \(String(cString: strerror(code)))")
        }
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            if existed { _ = rename(old.path, url.path) }
            try? FileManager.default.removeItem(at: temporary)
            throw ReportsError.unwritableOutput(path: url.path, problem: "rename failed: \(String(cString: strerror(code)))")
        }
        if existed { try? FileManager.default.removeItem(at: old) }
    }
}
