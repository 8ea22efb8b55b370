/// Where a run keeps the trials it has completed, so that a run stopped by a signal, a time
/// limit or a crash can resume without redoing them: the trial loop asks it for the records it
/// already holds before evaluating a batch, and hands it every batch it evaluates. A record is a
/// pure function of (root seed, property, trial index), so a resumed run consumes exactly the
/// records an uninterrupted one would have computed and reaches the same verdict.
/// The engine knows nothing about files; the command line supplies a journal on disk.
public protocol TrialJournal: Sendable {
    /// The records of `property` completed by an earlier attempt of this run (any indices).
    func completedTrials(of property: String) -> [TrialRecord]
    /// Keeps `records`, just evaluated for `property` (called once per batch, from the thread
    /// driving the run, before the batch is consumed).
    func record(_ records: [TrialRecord], of property: String)
}
