import Randomness

/// Targeted property-based testing (after Hypothesis's `target()` and PropEr's targeted PBT):
/// after the random trials, a universal property with targeting on spends extra steps
/// hill-climbing on choice sequences toward higher values of a score its check reports
/// (`TrialLog.target`), starting from the best random trial. It reaches corners of the
/// instance space that random draws reach rarely — the largest scores of a softmax, the worst
/// conditioning — where bugs that random draws miss live.
///
/// Each step mutates one choice of the best sequence so far: half the time a fresh uniform
/// value, otherwise a local move of ±maximum / 2^k for a random k in 1...48, clamped. The
/// mutant is kept when its score is higher. The mutations are drawn from a stream that is a
/// pure function of the root seed and the property's name, so a run is reproducible, and the
/// steps run one after another (a hill climb is sequential).
struct TargetedSearch {
    /// What the search found: the first failing record and its step, if a step failed, and
    /// the statistics the result reports.
    struct Outcome {
        var failure: TrialRecord?
        var summary: PropertyResult.TargetedSearchSummary
    }

    /// The score to maximise (the first label the best random trial reported).
    let label: String
    /// The steps to spend.
    let steps: Int
    /// The mutations' randomness.
    var stream: RandomStream

    /// Hill-climbs from `start` (the random trial with the highest score), evaluating candidates
    /// with `evaluate`; stops at the first failure, after `steps`, or when `cancelled` says so.
    mutating func run(from start: TrialRecord, evaluate: ([UInt64]) -> TrialRecord, cancelled: () -> Bool) -> Outcome {
        var current = start.choices
        let initial = start.log.score(label) ?? -.infinity
        var outcome = Outcome(failure: nil, summary: .init(label: label, randomBest: initial, best: initial, steps: 0, rejected: 0, failingStep: nil))
        guard !current.isEmpty else { return outcome }
        for step in 0..<steps {
            if cancelled() { break }
            var candidate = current.map(\.value)
            let i = stream.integer(below: candidate.count)
            let maximum = current[i].maximum
            if stream.next() & 1 == 0 {
                candidate[i] = ChoiceSource.uniform(maximum: maximum, &stream)
            } else {
                let delta = max(1, maximum >> UInt64(1 + stream.integer(below: 48)))
                let up = stream.next() & 1 == 0
                candidate[i] = up ? (candidate[i] > maximum - delta ? maximum : candidate[i] + delta) : (candidate[i] < delta ? 0 : candidate[i] - delta)
            }
            let record = evaluate(candidate)
            outcome.summary.steps = step + 1
            switch record.status {
            case .failed:
                outcome.failure = record
                outcome.summary.failingStep = step
                return outcome
            case .rejected:
                outcome.summary.rejected += 1
            case .passed:
                if let score = record.log.score(label), score > outcome.summary.best {
                    outcome.summary.best = score
                    current = record.choices
                }
            }
        }
        return outcome
    }
}
