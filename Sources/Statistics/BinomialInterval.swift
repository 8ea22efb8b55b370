/// A confidence interval for a binomial proportion, with the confidence it was built at.
public struct BinomialInterval: Codable, Equatable, Sendable {
    /// The lower end of the interval.
    public let lower: Double
    /// The upper end of the interval.
    public let upper: Double
    /// The two-sided confidence level, e.g. 0.95.
    public let confidence: Double

    /// Creates an interval from its ends and confidence.
    public init(lower: Double, upper: Double, confidence: Double) {
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
    }

    /// The Wilson score interval for `successes` out of `trials` (good coverage, never empty).
    public static func wilson(successes: Int, trials: Int, confidence: Double) throws -> BinomialInterval {
        try validate(successes, trials, confidence)
        let n = Double(trials)
        let p = Double(successes) / n
        let z = try Normal.quantile(1 - (1 - confidence) / 2)
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
        return BinomialInterval(lower: max(0, centre - half), upper: min(1, centre + half),
                                confidence: confidence)
    }

    /// The Clopper–Pearson ("exact") interval: coverage at least `confidence` for every p.
    public static func clopperPearson(successes: Int, trials: Int, confidence: Double) throws -> BinomialInterval {
        try validate(successes, trials, confidence)
        let tail = (1 - confidence) / 2
        let x = Double(successes), n = Double(trials)
        let lower = successes == 0 ? 0 : try IncompleteBeta.inverse(p: tail, a: x, b: n - x + 1)
        let upper = successes == trials ? 1 : try IncompleteBeta.inverse(p: 1 - tail, a: x + 1, b: n - x)
        return BinomialInterval(lower: lower, upper: upper, confidence: confidence)
    }

    static func validate(_ successes: Int, _ trials: Int, _ confidence: Double) throws {
        try StatisticsError.require(trials > 0, "trials", Double(trials), "> 0")
        try StatisticsError.require(successes >= 0 && successes <= trials, "successes",
                                    Double(successes), "in 0...trials (\(trials))")
        try StatisticsError.require(confidence > 0 && confidence < 1, "confidence", confidence, "in (0, 1)")
    }
}
