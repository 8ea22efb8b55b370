import PropertyEngine

/// The Swift side of one catalogue entry: builds the engine property that checks the claim,
/// reading every parameter from the entry, and optionally with a deliberately wrong model.
public protocol PaperClaim: Sendable {
    /// The catalogue id this implementation serves.
    static var id: String { get }
    /// The property checking `entry` (with `sabotage` injected, for negative controls).
    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property
}
