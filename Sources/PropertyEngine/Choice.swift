/// One recorded random choice: an integer in `0...maximum`, where 0 is the simplest value.
///
/// Every generator draws only such choices, so a test case is fully described by its choice
/// sequence; shrinking edits that sequence and regenerates (integrated shrinking, as Hypothesis).
public struct Choice: Codable, Hashable, Sendable {
    /// The value drawn, in `0...maximum`; smaller is simpler.
    public var value: UInt64
    /// The largest value this choice could take.
    public let maximum: UInt64

    /// Creates a choice record.
    public init(value: UInt64, maximum: UInt64) {
        self.value = value
        self.maximum = maximum
    }
}

/// Shortlex order on choice values: shorter is simpler, then lexicographically smaller.
func isSimpler(_ a: [UInt64], than b: [UInt64]) -> Bool {
    if a.count != b.count { return a.count < b.count }
    return a.lexicographicallyPrecedes(b)
}
