/// Welch's unequal-variance two-sample t test of equal means: the comparison of two arms of
/// independent runs whose spreads may differ (real data against a Gaussian control), with the
/// Welch-Satterthwaite degrees of freedom.
public struct WelchTest: Sendable, Codable, Equatable {
    /// mean(a) - mean(b).
    public let difference: Double
    /// The t statistic, difference / sqrt(s_a^2 / n_a + s_b^2 / n_b).
    public let t: Double
    /// The Welch-Satterthwaite degrees of freedom.
    public let degreesOfFreedom: Double
    /// The two-sided p-value.
    public let pValue: Double

    /// Tests mean(a) = mean(b); each sample needs at least 2 finite values. When both samples
    /// have zero spread, t is 0 for equal means and +-infinity otherwise (p 1 or 0).
    public init(_ a: [Double], _ b: [Double]) throws {
        try StatisticsError.require(a.count >= 2, "a.count", Double(a.count), ">= 2")
        try StatisticsError.require(b.count >= 2, "b.count", Double(b.count), ">= 2")
        let ma = RunningMoments(a), mb = RunningMoments(b)
        let va = ma.variance / Double(a.count), vb = mb.variance / Double(b.count)
        difference = ma.mean - mb.mean
        let se = (va + vb).squareRoot()
        guard se > 0 else {
            t = difference == 0 ? 0 : (difference > 0 ? .infinity : -.infinity)
            degreesOfFreedom = Double(a.count + b.count - 2)
            pValue = difference == 0 ? 1 : 0
            return
        }
        t = difference / se
        let df = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        degreesOfFreedom = df
        let cdf = try StudentT(degreesOfFreedom: df).cdf(-abs(t))
        pValue = min(1, 2 * cdf)
    }
}
