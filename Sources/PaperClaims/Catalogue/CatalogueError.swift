/// A problem with a claim file in `Properties/`: it names the file, the field and what is wrong.
public struct CatalogueError: Error, Equatable, CustomStringConvertible {
    /// The file (or folder) at fault.
    public let file: String
    /// The dotted path of the field at fault (empty for whole-file problems).
    public let field: String
    /// What is wrong, in a sentence.
    public let problem: String

    /// A catalogue error in `file` at `field`.
    public init(file: String, field: String, problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String {
        field.isEmpty ? "\(file): \(problem)" : "\(file): field '\(field)': \(problem)"
    }
}
