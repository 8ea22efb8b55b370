/// Observations made during one trial: event labels, named numeric features, and the scores
/// targeted search maximises.
public struct TrialLog: Codable, Equatable, Sendable {
    /// Event labels, in the order they were recorded.
    public private(set) var events: [String] = []
    /// Numeric features as (name, value), in the order they were recorded.
    public private(set) var features: [Feature] = []
    /// Targeted-search scores as (label, value) (`target(_:_:)`).
    public private(set) var targets: [Feature] = []

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

    /// Records a score that targeted search should drive up (Hypothesis's `target()`): with
    /// targeting on, part of a universal property's budget hill-climbs on choice sequences
    /// toward higher values of it, reaching corners that random draws rarely do. Also counted as
    /// a feature, so the coverage table shows its spread.
    public mutating func target(_ label: String, _ score: Double) {
        targets.append(Feature(name: label, value: score))
        features.append(Feature(name: label, value: score))
    }

    /// The largest score recorded under `label`, if any (NaN counts as absent).
    public func score(_ label: String) -> Double? {
        targets.filter { $0.name == label && !$0.value.isNaN }.map(\.value).max()
    }

    mutating func append(_ other: TrialLog) {
        events += other.events
        features += other.features
        targets += other.targets
    }

    private enum CodingKeys: String, CodingKey { case events, features, targets }

    /// Decodes a log; files written before targeted search have no `targets`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        events = try c.decode([String].self, forKey: .events)
        features = try c.decode([Feature].self, forKey: .features)
        targets = try c.decodeIfPresent([Feature].self, forKey: .targets) ?? []
    }
}
