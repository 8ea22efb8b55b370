import AttentionModels

/// One training run of a published protocol together with its verdict: the trajectory drawn in
/// the figure, where the run ended, and whether the published budget was enough to converge.
public struct AuditedRun: Sendable, Equatable {
    /// The verdict (outcome, final alignment, distance to the optimum, steps taken and needed).
    public let verdict: ExperimentResult.RunVerdict
    /// The recorded trajectory of the published run (every `recordEvery` steps and the last step).
    public let trajectory: [Point]
    /// The iterate at the end of the published budget (the last finite one if the run diverged).
    public let finalParameters: [Double]
    /// Whether the published run ended within the convergence radius of a critical point that is
    /// *not* the minimiser (the origin or a saddle): "converged to the wrong point" rather than
    /// "did not converge yet". Always false for SGD, whose stationary points are not known.
    public let endedNearWrongCriticalPoint: Bool

    /// An audited run.
    public init(verdict: ExperimentResult.RunVerdict, trajectory: [Point], finalParameters: [Double],
                endedNearWrongCriticalPoint: Bool) {
        self.verdict = verdict
        self.trajectory = trajectory
        self.finalParameters = finalParameters
        self.endedNearWrongCriticalPoint = endedNearWrongCriticalPoint
    }

    /// One recorded point of a run: the step, the alignment with the target, and |mu|^2.
    public struct Point: Sendable, Equatable {
        /// The step (0 = the start).
        public let step: Int
        /// |<mu/|mu|, target>|.
        public let alignment: Double
        /// |mu|^2.
        public let squaredNorm: Double

        /// A recorded point.
        public init(step: Int, alignment: Double, squaredNorm: Double) {
            self.step = step
            self.alignment = alignment
            self.squaredNorm = squaredNorm
        }

        /// The point of a trainer's trajectory, `offset` steps later (NaN alignment if none was recorded).
        init(_ point: TrajectoryPoint, offset: Int = 0) {
            self.init(step: point.step + offset, alignment: point.alignment ?? .nan, squaredNorm: point.squaredNorm)
        }
    }
}
