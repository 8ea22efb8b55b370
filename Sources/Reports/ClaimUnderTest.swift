import PaperClaims
import PropertyEngine

/// A claim ready to run: its catalogue entry (for the report) and the engine property that
/// checks it (from `PaperClaims.property(for:)`, or a stand-in in tests).
public struct ClaimUnderTest: Sendable {
    /// The catalogue entry; `entry.id` must equal `property.name`.
    public let entry: ClaimEntry
    /// The property.
    public let property: any Property

    /// Pairs an entry with its property.
    public init(entry: ClaimEntry, property: any Property) {
        self.entry = entry
        self.property = property
    }
}

/// An experiment ready to run: its description and how to run it (from a `PaperExperiment`,
/// or a stand-in in tests).
public struct ExperimentUnderTest: Sendable {
    /// The id (e.g. `fig3b`).
    public let id: String
    /// What it shows.
    public let title: String
    /// The published parameters.
    public let parameters: String
    /// Runs per configuration in the paper.
    public let publishedRuns: Int
    /// Runs it.
    public let run: @Sendable (ExperimentOptions) throws -> ExperimentResult

    /// An experiment from its parts.
    public init(id: String, title: String, parameters: String, publishedRuns: Int,
                run: @escaping @Sendable (ExperimentOptions) throws -> ExperimentResult) {
        self.id = id
        self.title = title
        self.parameters = parameters
        self.publishedRuns = publishedRuns
        self.run = run
    }

    /// One of the paper's experiments.
    public init(_ experiment: PaperExperiment) {
        self.init(id: experiment.id, title: experiment.title, parameters: experiment.parameters,
                  publishedRuns: experiment.publishedRuns, run: { try experiment.run($0) })
    }
}
