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
    /// What the search found.
    struct Outcome {
        /// The first failing record, if a step failed.
        var failure: TrialRecord?
        /// The step (0-based) at which it failed.
        var failingStep: Int?
        /// Steps evaluated.
        var steps = 0
        /// Steps whose instance was rejected (assumptions, too many choices).
        var rejected = 0
        /// The score's label, its best value among the random trials, and after the search.
        var label: String
        var randomBest: Double
        var best: Double
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
        var outcome = Outcome(label: label, randomBest: initial, best: initial)
        guard !current.isEmpty else { return outcome }
        for step in 0..<steps {
            if cancelled() { break }
            var candidate = current.map(\.value)
            let i = Int(stream.next() % UInt64(candidate.count))
            let maximum = current[i].maximum
            if stream.next() & 1 == 0 {
                candidate[i] = maximum == .max ? stream.next() : stream.next() % (maximum + 1)
            } else {
                let k = 1 + Int(stream.next() % 48)
                let delta = max(1, maximum >> UInt64(k))
                let up = stream.next() & 1 == 0
                candidate[i] = up ? (candidate[i] > maximum - delta ? maximum : candidate[i] + delta) : (candidate[i] < delta ? 0 : candidate[i] - delta)
            }
            let record = evaluate(candidate)
            outcome.steps = step + 1
            switch record.status {
            case .failed:
                outcome.failure = record
                outcome.failingStep = step
                return outcome
            case .rejected:
                outcome.rejected += 1
            case .passed:
                if let score = record.log.score(label), score > outcome.best {
                    outcome.best = score
                    current = record.choices
                }
            }
        }
        return outcome
    }
}
