/// Welford's running mean and variance, mergeable (Chan et al.) for sharded or parallel runs.
///
/// Merging is deterministic given the order of merges: merge shard accumulators in shard-index
/// order and the result is bit-identical whatever the thread count.
public struct RunningMoments: Codable, Equatable, Sendable {
    /// The number of observations.
    public private(set) var count: Int = 0
    /// The running mean (0 when empty).
    public private(set) var mean: Double = 0
    /// The sum of squared deviations from the mean, M2.
    public private(set) var sumOfSquaredDeviations: Double = 0
    /// The smallest observation (+∞ when empty).
    public private(set) var minimum: Double = .infinity
    /// The largest observation (−∞ when empty).
    public private(set) var maximum: Double = -.infinity

    /// An empty accumulator.
    public init() {}

    /// An accumulator holding `values`, added in order.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        for v in values { add(v) }
    }

    /// Adds one observation (Welford's update).
    public mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        sumOfSquaredDeviations += delta * (value - mean)
        minimum = min(minimum, value)
        maximum = max(maximum, value)
    }

    /// Merges another accumulator into this one (Chan, Golub & LeVeque's pairwise formula).
    public mutating func merge(_ other: RunningMoments) {
        if other.count == 0 { return }
        if count == 0 { self = other; return }
        let n = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / n
        sumOfSquaredDeviations += other.sumOfSquaredDeviations
            + delta * delta * Double(count) * Double(other.count) / n
        count += other.count
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
    }

    /// This accumulator merged with `other` (see `merge(_:)`).
    public func merging(_ other: RunningMoments) -> RunningMoments {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// The unbiased sample variance (divides by n − 1); 0 with fewer than two observations.
    public var variance: Double { count > 1 ? sumOfSquaredDeviations / Double(count - 1) : 0 }

    /// The sample standard deviation, √variance.
    public var standardDeviation: Double { variance.squareRoot() }

    /// The standard error of the mean, s / √n (0 with fewer than two observations).
    public var standardError: Double { count > 1 ? (variance / Double(count)).squareRoot() : 0 }
}
