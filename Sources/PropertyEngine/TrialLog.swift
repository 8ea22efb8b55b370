/// Observations made during one trial: event labels and named numeric features.
public struct TrialLog: Codable, Equatable, Sendable {
    /// Event labels, in the order they were recorded.
    public private(set) var events: [String] = []
    /// Numeric features as (name, value), in the order they were recorded.
    public private(set) var features: [Feature] = []

    /// A named numeric observation.
    public struct Feature: Codable, Equatable, Sendable {
        /// The feature's name, e.g. "d".
        public let name: String
        /// The observed value.
        public let value: Double
    }

    /// An empty log.
    public init() {}

    /// Records an event label (counted in the coverage table).
    public mutating func event(_ label: String) { events.append(label) }

    /// Records a numeric feature (summarised by min, quartiles and max).
    public mutating func feature(_ name: String, _ value: Double) {
        features.append(Feature(name: name, value: value))
    }

    mutating func append(_ other: TrialLog) {
        events += other.events
        features += other.features
    }
}
