/// Thrown to discard a trial whose instance does not meet a precondition (not a failure).
///
/// Thrown by `Generator.filter` when its attempts run out and by `assume(_:_:)`; rejected
/// trials are counted and reported, and too many of them fail the run's health check.
public struct TrialRejected: Error, Equatable, Sendable {
    /// Why the trial was discarded.
    public let reason: String

    /// Creates a rejection with its reason.
    public init(reason: String) { self.reason = reason }
}

/// Discards the current trial unless `condition` holds (like Hypothesis's `assume`).
public func assume(_ condition: Bool, _ reason: @autoclosure () -> String = "assumption failed") throws {
    if !condition { throw TrialRejected(reason: reason()) }
}
