import AttentionModels

/// One training run of a published protocol together with its verdict: the trajectory drawn in
/// the figure, where the run ended, and whether the published budget was enough to converge.
public struct AuditedRun: Sendable, Equatable, Codable {
    /// The verdict (outcome, final alignment, distance to the optimum, steps taken and needed).
    public let verdict: ExperimentResult.RunVerdict
    /// The recorded trajectory of the published run (every `recordEvery` steps and the last step).
    public let trajectory: [Point]
    /// The iterate at the end of the published budget (the last finite one if the run diverged).
    public let finalParameters: [Double]
    /// Why the run ended where it did: this tells "did not converge yet" from "converged to the
    /// wrong point" and from "cannot converge at this step size".
    public let diagnosis: Diagnosis

    /// The reason behind a verdict.
    public enum Diagnosis: String, Sendable, Codable, Equatable {
        /// Within the convergence criterion at the end of the budget.
        case converged
        /// Still moving towards the optimum when the budget ran out (SGD: still drifting).
        case notConvergedYet = "not converged yet"
        /// Within the convergence radius of a critical point that is not the minimiser (the
        /// origin or a saddle): converged to the wrong point.
        case wrongCriticalPoint = "near a saddle or the origin"
        /// The step is at or above 2 / h_max, h_max the largest Hessian eigenvalue at the
        /// minimiser: gradient descent cannot settle there (it oscillates around it).
        case unstableStep = "step at or above the stable bound 2 / h_max"
        /// A non-finite value appeared.
        case diverged
    }

    /// An audited run.
    public init(verdict: ExperimentResult.RunVerdict, trajectory: [Point], finalParameters: [Double], diagnosis: Diagnosis) {
        self.verdict = verdict
        self.trajectory = trajectory
        self.finalParameters = finalParameters
        self.diagnosis = diagnosis
    }

    /// One recorded point of a run: the step, the alignment with the target, and |mu|^2.
    public struct Point: Sendable, Equatable, Codable {
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
