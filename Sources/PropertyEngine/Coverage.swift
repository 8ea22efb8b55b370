import Foundation

/// What was generated: event counts and numeric-feature summaries over the counted trials,
/// so a reader can see whether the instance space was covered.
public struct Coverage: Codable, Equatable, Sendable {
    /// How often each event label occurred, sorted by label.
    public var events: [EventCount] = []
    /// Min, quartiles and max of each numeric feature, sorted by name.
    public var features: [FeatureSummary] = []
    /// The number of trials summarised (nil in files written before it was recorded). Event
    /// shares are of these trials: a trial can carry several labels, so shares need not sum to 1.
    public var trials: Int?

    /// One event label and its count.
    public struct EventCount: Codable, Equatable, Sendable {
        /// The label.
        public let label: String
        /// How many times it was recorded.
        public let count: Int
    }

    /// Summary of one numeric feature.
    public struct FeatureSummary: Codable, Equatable, Sendable {
        /// The feature's name.
        public let name: String
        /// Number of observations.
        public let count: Int
        /// Minimum, 25%, median, 75% and maximum (order statistics, lower convention).
        public let minimum, lowerQuartile, median, upperQuartile, maximum: Double
    }

    /// An empty summary.
    public init() {}

    /// Summarises the logs of the counted trials (order-independent: it sorts).
    public init(logs: [TrialLog]) {
        trials = logs.count
        var counts: [String: Int] = [:]
        var values: [String: [Double]] = [:]
        for log in logs {
            for e in log.events { counts[e, default: 0] += 1 }
            for f in log.features { values[f.name, default: []].append(f.value) }
        }
        events = counts.keys.sorted().map { EventCount(label: $0, count: counts[$0]!) }
        features = values.keys.sorted().map { name in
            let v = values[name]!.sorted()
            func q(_ p: Double) -> Double { v[min(v.count - 1, Int(p * Double(v.count - 1)))] }
            return FeatureSummary(name: name, count: v.count, minimum: v[0], lowerQuartile: q(0.25),
                                  median: q(0.5), upperQuartile: q(0.75), maximum: v[v.count - 1])
        }
    }

    /// The share of the summarised trials that carried `event` (nil when the trial count is unknown).
    public func share(of event: EventCount) -> Double? {
        guard let trials, trials > 0 else { return nil }
        return Double(event.count) / Double(trials)
    }

    /// A small text table, one line per event (count, share of trials) and per feature.
    public var table: String {
        var lines: [String] = []
        for e in events {
            let share = share(of: e).map { String(format: " (%.1f%% of %d trials)", 100 * $0, trials ?? 0) } ?? ""
            lines.append("  \(e.label): \(e.count)\(share)")
        }
        for f in features {
            lines.append("  \(f.name): n=\(f.count) min \(fmt(f.minimum)) q1 \(fmt(f.lowerQuartile)) median \(fmt(f.median)) q3 \(fmt(f.upperQuartile)) max \(fmt(f.maximum))")
        }
        return lines.joined(separator: "\n")
    }

    private func fmt(_ x: Double) -> String { String(format: "%.4g", x) }
}
