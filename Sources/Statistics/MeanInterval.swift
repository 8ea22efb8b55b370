/// A two-sided Student t confidence interval for a mean from independent replicates, the
/// interval a handful of independent runs supports (no normality of the mean assumed beyond
/// the t approximation; with n = 8 the 99% interval is mean +- 3.50 s / sqrt(n)).
public struct MeanInterval: Sendable, Codable, Equatable {
    /// The sample mean.
    public let mean: Double
    /// The lower end of the interval.
    public let lower: Double
    /// The upper end of the interval.
    public let upper: Double
    /// The confidence level, e.g. 0.99.
    public let confidence: Double
    /// The number of replicates.
    public let count: Int
    /// The sample standard deviation.
    public let standardDeviation: Double

    /// The interval for the mean of `values` (at least 2, all finite) at `confidence` in (0, 1).
    public init(_ values: [Double], confidence: Double) throws {
        try StatisticsError.require(values.count >= 2, "values.count", Double(values.count), ">= 2")
        try StatisticsError.require(confidence > 0 && confidence < 1, "confidence", confidence, "in (0, 1)")
        let moments = RunningMoments(values)
        let t = try StudentT(degreesOfFreedom: Double(values.count - 1)).quantile(0.5 + confidence / 2)
        let half = t * moments.standardError
        mean = moments.mean
        lower = moments.mean - half
        upper = moments.mean + half
        self.confidence = confidence
        count = values.count
        standardDeviation = moments.standardDeviation
    }
}
