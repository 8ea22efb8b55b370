/// Why an experiment could not run: options out of range.
public struct ExperimentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The experiment's id.
    public let id: String
    /// What was wrong.
    public let problem: String

    /// An experiment error.
    public init(id: String, problem: String) {
        self.id = id
        self.problem = problem
    }

    /// "experiment <id>: <problem>".
    public var description: String { "experiment \(id): \(problem)" }
}
