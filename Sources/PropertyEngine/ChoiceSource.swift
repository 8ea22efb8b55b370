import Randomness

/// Where generators take their randomness from: fresh draws from a `RandomStream`, or a
/// replayed (possibly shrunk) choice sequence. Every draw is recorded, with labelled
/// observations (`event`, `feature`) for coverage statistics.
public struct ChoiceSource: Sendable {
    enum Origin: Sendable {
        case random(RandomStream)
        case replay([UInt64])
    }

    var origin: Origin
    /// The choices drawn so far, in order.
    public private(set) var recorded: [Choice] = []
    /// Labelled observations made while generating (and by the property body).
    public var log = TrialLog()
    /// The most choices one test case may draw before generation is abandoned as rejected.
    public static let maximumChoices = 1 << 20

    /// A source drawing fresh choices from `stream`.
    public init(stream: RandomStream) { origin = .random(stream) }

    /// A source replaying `values`; values beyond the end read as 0 (the simplest choice) and
    /// values above a draw's maximum are clamped to it.
    public init(replaying values: [UInt64]) { origin = .replay(values) }

    /// Draws an integer in `0...maximum` (0 is the simplest) and records it.
    public mutating func draw(maximum: UInt64) throws -> UInt64 {
        guard recorded.count < Self.maximumChoices else { throw TrialRejected(reason: "too many choices") }
        let value: UInt64
        switch origin {
        case .random(var stream):
            value = Self.uniform(maximum: maximum, &stream)
            origin = .random(stream)
        case .replay(let values):
            value = recorded.count < values.count ? min(values[recorded.count], maximum) : 0
        }
        recorded.append(Choice(value: value, maximum: maximum))
        return value
    }

    /// Draws a fraction in [0, 1] on a grid of 2⁵³ steps; 0 is the simplest.
    public mutating func drawFraction() throws -> Double {
        Double(try draw(maximum: 1 << 53)) / 9_007_199_254_740_992.0
    }

    /// Records a labelled observation (like Hypothesis's `event()`), counted in the coverage table.
    public mutating func event(_ label: String) { log.event(label) }

    /// Records a numeric feature of the instance (e.g. "d", "gap"), summarised by quantiles.
    public mutating func feature(_ name: String, _ value: Double) { log.feature(name, value) }

    /// Lemire's unbiased bounded integer, pinned here so results never depend on the stdlib.
    static func uniform(maximum: UInt64, _ stream: inout RandomStream) -> UInt64 {
        if maximum == .max { return stream.next() }
        let bound = maximum + 1
        let threshold = (0 &- bound) % bound
        while true {
            let (high, low) = stream.next().multipliedFullWidth(by: bound)
            if low >= threshold { return high }
        }
    }
}
