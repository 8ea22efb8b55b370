import Statistics

/// Everything a data study found, as written to `results.json` (schema in docs/STUDY.md).
public struct StudyResult: Sendable, Codable, Equatable {
    /// The spectrum of S and what it implies.
    public struct Spectrum: Sendable, Codable, Equatable {
        /// All d eigenvalues, largest first.
        public let eigenvalues: [Double]
        /// tr S.
        public let trace: Double
        /// The null tolerance d eps s_1.
        public let nullTolerance: Double
        /// r, the eigenvalues above the tolerance.
        public let rank: Int
        /// 1-based indices of coordinates with variance S_jj at or below the tolerance.
        public let zeroVarianceCoordinates: [Int]
        /// s_1 - s_2 (nil when r = 1).
        public let topGap: Double?
        /// (s_1 - s_2) / s_1.
        public let relativeGap: Double?
        /// s_1 / s_r.
        public let conditionNumber: Double
        /// u_1 in the input's coordinates.
        public let topEigenvector: [Double]
    }

    /// One default or option as used, with its reason.
    public struct Setting: Sendable, Codable, Equatable {
        /// The option's name.
        public let name: String
        /// Its value, formatted.
        public let value: String
        /// Why this value (or "given" when the user set it).
        public let reason: String
    }

    /// Gradient descent on one closed-form risk, audited by `BudgetAudit.gradientDescent`.
    public struct GradientDescentArm: Sendable, Codable, Equatable {
        /// "R_inf" or "R_lin,L".
        public let risk: String
        /// The step (the stable-step rule's, safety 0.5).
        public let stepSize: Double
        /// The step budget.
        public let budget: Int
        /// converged / not converged yet / near a saddle or the origin / unstable step / diverged.
        public let diagnosis: String
        /// |cos(mu, u_1)| at the end.
        public let alignment: Double
        /// |mu - mu*| / |mu*| at the end.
        public let relativeDistance: Double?
        /// Steps the same iteration needs to get within 1e-2 of mu* (nil: more than the search cap).
        public let stepsNeeded: Int?
        /// (step, alignment) along the run.
        public let trajectory: [[Double]]
    }

    /// Several independent SGD runs on one kind of prompt.
    public struct SGDArm: Sendable, Codable, Equatable {
        /// Short name ("gaussian-tokens", "real-rows", "gaussian-sample").
        public let name: String
        /// What the tokens are.
        public let description: String
        /// Final |cos(mu, u_1)| of each run (0 for a run that diverged).
        public let alignments: [Double]
        /// The t interval of the mean alignment.
        public let interval: MeanInterval
        /// Runs that diverged.
        public let diverged: Int
        /// Wall time of the arm's runs.
        public let wallSeconds: Double
        /// Per-run change of the alignment over the last quarter of the run (final minus at 3/4
        /// of the steps), with its t interval: the arm is still moving when it excludes 0.
        public let lastQuarterChange: MeanInterval?
        /// Whether `lastQuarterChange`'s interval excludes 0 (the runs have not settled).
        public let stillMoving: Bool
        /// Recorded steps.
        public let steps: [Double]
        /// Mean, minimum and maximum alignment over runs at each recorded step.
        public let meanAlignment: [Double], minimumAlignment: [Double], maximumAlignment: [Double]
    }

    /// A Welch comparison of two arms.
    public struct Comparison: Sendable, Codable, Equatable {
        /// The two arms, "a vs b".
        public let name: String
        /// What a difference would mean.
        public let question: String
        /// The test.
        public let test: WelchTest
        /// Its significance level.
        public let alpha: Double
        /// p < alpha.
        public let significant: Bool
    }

    /// The one-line answer and its causes.
    public struct Verdict: Sendable, Codable, Equatable {
        /// Whether the prediction holds: the judged arm's interval reaches the alignment threshold.
        public let holds: Bool
        /// The arm judged: "real-rows", or "gaussian-tokens" when only a covariance was given.
        public let judgedArm: String
        /// The one-line answer.
        public let headline: String
        /// The causes found (non-Gaussianity, gap, budget, finite sample), each a sentence.
        public let causes: [String]
    }

    /// The input file.
    public let source: String
    /// "data" or "covariance".
    public let inputKind: String
    /// n (nil for a covariance input).
    public let sampleCount: Int?
    /// d.
    public let dimension: Int
    /// Columns scaled to unit variance first.
    public let standardised: Bool
    /// The root seed.
    public let seed: UInt64
    /// Every default and option used, with its reason.
    public let settings: [Setting]
    /// The spectrum.
    public let spectrum: Spectrum
    /// Gradient descent on R_inf and R_lin,L.
    public let gradientDescent: [GradientDescentArm]
    /// The SGD arms.
    public let sgd: [SGDArm]
    /// The Welch comparisons.
    public let comparisons: [Comparison]
    /// The answer.
    public let verdict: Verdict
    /// Notes on singular or ill-conditioned input and flat directions.
    public let notes: [String]
    /// Wall time of the whole study.
    public let wallSeconds: Double
}
