import Foundation

/// The built `attention-pca` binary, run as a user would: the end-to-end tests of several test
/// targets (the command line's, the study's) share this one locator and runner.
public enum BuiltCommand {
    /// The binary next to the test bundle (built by `swift build --build-tests` in the same
    /// configuration), or nil when it is not there.
    public static let binary: URL? = {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleFolder.appendingPathComponent("attention-pca"),
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("attention-pca"),
                          Bundle.main.bundleURL.appendingPathComponent("attention-pca")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// How a run ended: its exit status, what it printed, and whether it crashed (ended by a
    /// signal rather than an exit).
    public struct Outcome: Sendable {
        public let status: Int32
        public let out: String
        public let err: String
        public let crashed: Bool
    }

    /// The binary was not found next to the tests.
    public struct MissingBinary: Error, CustomStringConvertible {
        public var description: String { "attention-pca is not built next to the tests; run `swift build --build-tests` first" }
    }

    /// Runs the binary with `arguments` (in `folder` if given) to its end.
    public static func run(_ arguments: [String], in folder: URL? = nil) throws -> Outcome {
        guard let executable = binary else { throw MissingBinary() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self),
                       crashed: process.terminationReason != .exit)
    }
}
