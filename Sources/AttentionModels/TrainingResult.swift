/// What a trainer returns: why it stopped, where it ended, and what it saw on the way.
public struct TrainingResult: Sendable, Codable, Equatable {
    /// Why training stopped.
    public enum Stop: String, Sendable, Codable, Equatable {
        /// The convergence criterion was met.
        case converged
        /// The step budget ran out first: "did not converge yet", not "converged to the wrong point".
        case budgetExhausted
        /// A non-finite value appeared; `diagnosis` says where.
        case diverged
        /// The caller's `shouldStop` asked to stop (an interrupted run): says nothing about the run.
        case stopped
    }

    /// Why training stopped.
    public let stop: Stop
    /// The last iterate (the last finite one, if training diverged).
    public let parameters: [Double]
    /// The mean iterate over the last convergence window (SGD's Polyak average); equals
    /// `parameters` for gradient descent.
    public let averagedParameters: [Double]
    /// Steps taken.
    public let steps: Int
    /// The final gradient norm (exact for gradient descent, of the last batch for SGD).
    public let finalGradientNorm: Double
    /// For a diverged run: the step, the quantity that went non-finite, and the likely cause.
    public let diagnosis: String?
    /// The recorded trajectory (empty unless recording was asked for).
    public let trajectory: [TrajectoryPoint]
}

/// One recorded point of a training run.
public struct TrajectoryPoint: Sendable, Codable, Equatable {
    /// The step index (0 = the start).
    public let step: Int
    /// |<mu/|mu|, target>| if a target was given.
    public let alignment: Double?
    /// The population risk if an evaluator was given (closed form), otherwise nil.
    public let risk: Double?
    /// The mean loss of the step's batch (SGD only).
    public let batchLoss: Double?
    /// |mu|^2.
    public let squaredNorm: Double
}
