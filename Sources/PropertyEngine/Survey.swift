import Randomness

/// Every trial of a property up to a count, evaluated whatever they show: no sequential stop,
/// no stop at a counterexample. It is the raw material of a power analysis (`PowerAnalysis`):
/// how often a (deliberately wrong) model produces counterexamples or failing outcomes.
public struct Survey: Sendable {
    /// The property's name.
    public let property: String
    /// Universal or statistical.
    public let kind: PropertyKind
    /// The property's trial budget for the surveyed profile.
    public let budget: Int
    /// For statistical properties: the claim the sequential test decides.
    public let claim: Claim?
    /// For statistical properties: the error rates the sequential test is held to.
    public let errors: ErrorRates?
    /// The counted trials (passed or failed), in trial-index order; rejected trials are left out.
    public let records: [TrialRecord]
    /// How many trials were rejected (not counted) on the way.
    public let rejected: Int

    /// Creates a survey.
    public init(property: String, kind: PropertyKind, budget: Int, claim: Claim?, errors: ErrorRates?,
                records: [TrialRecord], rejected: Int) {
        self.property = property
        self.kind = kind
        self.budget = budget
        self.claim = claim
        self.errors = errors
        self.records = records
        self.rejected = rejected
    }

    /// Universal: the counted trials whose check failed or threw.
    public var counterexamples: Int { records.filter { $0.status == .failed }.count }
}

extension TrialLoop {
    /// Evaluates trials in index order, in parallel batches, until `target` are counted (or the
    /// rejection allowance runs out, or the run is cancelled); keeps every counted record.
    static func survey(
        name: String, settings: Settings, target: Int,
        evaluate: @escaping @Sendable (RandomStream) -> TrialRecord
    ) -> (records: [TrialRecord], rejected: Int) {
        var counted: [TrialRecord] = []
        var rejected = 0
        var next = 0
        let maxRejected = settings.rejectionAllowance * max(target, 1)
        while counted.count < target, rejected <= maxRejected, settings.cancellation?.isCancelled != true {
            let batch = Array(next..<next + max(1, settings.batchSize, settings.workers))
            next += batch.count
            for record in self.evaluate(batch, name: name, settings: settings, evaluate: evaluate) {
                if record.status == .rejected { rejected += 1; continue }
                if counted.count < target { counted.append(record) }
            }
            settings.progress?(TrialProgress(property: name, phase: .trials, completed: counted.count, target: target))
        }
        return (counted, rejected)
    }
}
