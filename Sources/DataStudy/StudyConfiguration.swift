/// The knobs of a data study (`attention-pca study`). Every one has a default that needs no
/// tuning; nil means "derive it from the data's spectrum" and the report states the value used
/// and why (docs/STUDY.md, "Defaults").
public struct StudyConfiguration: Sendable, Equatable {
    /// The attention scale lam; nil: 1 / s_1, so that lam s_1 = 1 and the infinite-prompt
    /// minimiser u_1 / sqrt(lam s_1) is a unit vector whatever the data's units.
    public var lam: Double?
    /// Tokens per prompt L (the paper's Fig. 3a uses 100).
    public var promptLength: Int = 100
    /// Independent SGD runs per arm (each with its own start and prompts).
    public var runs: Int = 8
    /// SGD steps per run; nil: derived from the slowest relevant relaxation time (see the report).
    public var steps: Int?
    /// The root seed: every random draw of the study derives from it.
    public var seed: UInt64 = 0x5EED_0001
    /// Threads for the batch gradient.
    public var workers: Int = 1
    /// Prompts per SGD step (the batch), split into units of `promptsPerUnit`.
    public var promptsPerStep: Int = 16
    /// Prompts per parallel work unit.
    public var promptsPerUnit: Int = 4
    /// SGD learning rate as a fraction of 1 / h_max, h_max = 8 lam s_1^2 (R_inf's largest
    /// curvature at its minimiser, docs/MATHEMATICS.md §4.2); 0.15 as in the softmax SGD claims (§7.2).
    public var stepFraction: Double = 0.15
    /// |mu_0| / |mu*|: runs start small, in a uniformly random direction of the non-null subspace.
    public var startScale: Double = 1e-3
    /// Confidence level of the mean-alignment intervals.
    public var confidence: Double = 0.99
    /// Significance level of each Welch comparison.
    public var alpha: Double = 0.01
    /// Mean alignment the real-rows arm must reach (lower end of its interval) for "holds".
    public var alignmentThreshold: Double = 0.9
    /// Scale every column to unit variance before the study (for columns in unrelated units).
    public var standardise: Bool = false

    /// The defaults.
    public init() {}
}
