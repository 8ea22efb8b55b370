import PropertyEngine

/// A property whose trials are expensive (seconds of SGD each) evaluated in small parallel
/// batches, so a sequential test that stops after 20 trials does not pay for 64. The verdict,
/// the stopping point and every outcome are unchanged: the engine consumes trials in index
/// order whatever the batch size; only the work done past the stopping point differs.
struct TrialBatching: Property {
    let wrapped: any Property
    let trialsPerBatch: Int

    var name: String { wrapped.name }
    var kind: PropertyKind { wrapped.kind }

    func run(_ settings: Settings, falseFailRate: Double?) -> PropertyResult {
        var adjusted = settings
        adjusted.batchSize = max(trialsPerBatch, settings.workers)
        return wrapped.run(adjusted, falseFailRate: falseFailRate)
    }
}
