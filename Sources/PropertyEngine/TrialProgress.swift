/// A progress report from the trial loop, sent to `Settings.progress` after every batch, so a
/// command line can show trials done, elapsed time and an estimate of the time remaining.
public struct TrialProgress: Sendable, Equatable {
    /// What the property is doing.
    public enum Phase: String, Sendable {
        /// Running trials (`completed` of at most `target`; statistical tests may stop earlier).
        case trials
        /// Shrinking a counterexample (`completed` evaluations of at most `target`).
        case shrinking
    }
    /// The property's name.
    public let property: String
    /// Trials or shrinking.
    public let phase: Phase
    /// Trials counted (or shrink evaluations) so far.
    public let completed: Int
    /// The budget: the most trials (or shrink evaluations).
    public let target: Int

    /// A progress report.
    public init(property: String, phase: Phase, completed: Int, target: Int) {
        self.property = property
        self.phase = phase
        self.completed = completed
        self.target = target
    }
}
