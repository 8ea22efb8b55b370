/// What reproducing one of the paper's experiments (docs/MATHEMATICS.md §9) at its published parameters
/// produced: the figure and, per run, whether the published budget reached convergence.
public struct ExperimentResult: Sendable, Codable, Equatable {
    /// The experiment's id (e.g. `fig3b`).
    public let id: String
    /// The figure(s) it reproduces.
    public let figures: [FigureData]
    /// One verdict per run (or per sweep point and run).
    public let runs: [RunVerdict]
    /// A one-paragraph summary: how many runs converged within the published budget, how far
    /// the others stopped from the optimum, and how many steps convergence actually needs.
    public let summary: String

    /// An experiment result.
    public init(id: String, figures: [FigureData], runs: [RunVerdict], summary: String) {
        self.id = id
        self.figures = figures
        self.runs = runs
        self.summary = summary
    }

    /// Whether one run converged within the published budget, and how far from the optimum it ended.
    public struct RunVerdict: Sendable, Codable, Equatable {
        /// Converged within the budget, stopped early (did not converge yet), or diverged.
        public enum Outcome: String, Sendable, Codable { case converged, stoppedEarly = "stopped-early", diverged }
        /// Which run (and sweep value, if any): e.g. "run 3" or "L = 20, run 3".
        public let label: String
        /// The outcome.
        public let outcome: Outcome
        /// Final alignment |<mu/|mu|, target>|.
        public let finalAlignment: Double
        /// Relative distance |mu - mu*| / |mu*| to the nearest optimum, where the optimum is known.
        public let relativeDistance: Double?
        /// Steps the published protocol took.
        public let stepsTaken: Int
        /// Steps the same optimiser needed to meet the convergence criterion, where measured.
        public let stepsNeeded: Int?
        /// |mu| / |mu*|, where the optimum is known: how far the norm is from the optimum's,
        /// separately from the direction (what the paper claims).
        public let normRatio: Double?
        /// (R(mu) - R(mu*)) / (R(0) - R(mu*)), where the risk has a closed form: the share of the
        /// descent from the origin to the minimum that is still missing (0 at the optimum).
        public let excessRisk: Double?
        /// Why the run ended where it did (nil in files written before it was recorded).
        public let diagnosis: AuditedRun.Diagnosis?

        /// A run verdict.
        public init(label: String, outcome: Outcome, finalAlignment: Double, relativeDistance: Double?, stepsTaken: Int, stepsNeeded: Int?,
                    normRatio: Double? = nil, excessRisk: Double? = nil, diagnosis: AuditedRun.Diagnosis? = nil) {
            self.label = label
            self.outcome = outcome
            self.finalAlignment = finalAlignment
            self.relativeDistance = relativeDistance
            self.stepsTaken = stepsTaken
            self.stepsNeeded = stepsNeeded
            self.normRatio = normRatio
            self.excessRisk = excessRisk
            self.diagnosis = diagnosis
        }

        /// The same verdict under another label (e.g. with its sweep point prefixed).
        public func relabelled(_ label: String) -> RunVerdict {
            RunVerdict(label: label, outcome: outcome, finalAlignment: finalAlignment, relativeDistance: relativeDistance,
                       stepsTaken: stepsTaken, stepsNeeded: stepsNeeded, normRatio: normRatio, excessRisk: excessRisk, diagnosis: diagnosis)
        }
    }
}
