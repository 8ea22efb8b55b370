import Synchronization

/// A flag a signal handler (Ctrl-C) sets to stop a run cooperatively: the trial loop checks it
/// before every batch, so every completed trial is kept and the result is marked interrupted.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A flag that is not set.
    public init() {}

    /// Asks the run to stop after the current batch of trials.
    public func cancel() { flag.store(true, ordering: .sequentiallyConsistent) }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { flag.load(ordering: .sequentiallyConsistent) }
}
