import Foundation

/// Why a data or covariance file was refused: the file, the line (or, for binary files, the
/// row) and the problem, so that a user can fix the file without reading the code. The command
/// line prints it and exits with status 2.
public struct DataFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path as given.
    public let file: String
    /// The 1-based line of a text file, or nil when the problem is about the whole file.
    public let line: Int?
    /// What is wrong, in one sentence.
    public let problem: String

    /// The bytes of the file at `path`, or an error naming it.
    public static func contents(of path: String) throws(DataFileError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataFileError(file: path, problem: "cannot be read (\(error.localizedDescription))")
        }
    }

    /// An error about `file` (at `line`, if the problem has one).
    public init(file: String, line: Int? = nil, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// "file:line: problem", the form compilers use, so editors can jump to it.
    public var description: String {
        if let line { return "\(file):\(line): \(problem)" }
        return "\(file): \(problem)"
    }
}
