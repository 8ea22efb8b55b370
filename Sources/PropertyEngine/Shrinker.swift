/// Integrated shrinking on choice sequences (after Hypothesis's conjecture engine): deletes
/// chunks of choices (also decrementing an earlier size-like choice, so "d" shrinks with the
/// data it controls), zeroes choices, and binary-searches each choice toward 0. A candidate is
/// kept only if the property still fails and the recorded sequence is shortlex-simpler, so
/// shrinking terminates and is deterministic.
struct Shrinker {
    /// The most property evaluations to spend.
    let budget: Int
    /// Evaluations spent so far.
    private(set) var evaluations = 0
    /// Replays a candidate; returns the recorded choices if the property still fails.
    let stillFails: ([UInt64]) -> [Choice]?
    /// The simplest failing sequence found.
    private(set) var best: [Choice]
    /// Called every 50 evaluations with the number spent so far (progress display).
    var progress: ((Int) -> Void)?

    init(start: [Choice], budget: Int, stillFails: @escaping ([UInt64]) -> [Choice]?) {
        self.best = start
        self.budget = budget
        self.stillFails = stillFails
    }

    var values: [UInt64] { best.map(\.value) }

    /// Tries a candidate; adopts it if it fails and is simpler.
    @discardableResult
    mutating func attempt(_ candidate: [UInt64]) -> Bool {
        guard evaluations < budget, isSimpler(candidate, than: values) else { return false }
        evaluations += 1
        if evaluations % 50 == 0 { progress?(evaluations) }
        if let recorded = stillFails(candidate), isSimpler(recorded.map(\.value), than: values) {
            best = recorded
            return true
        }
        return false
    }

    /// Shrinks until a full round changes nothing or the budget is spent.
    mutating func run() -> [Choice] {
        while evaluations < budget {
            let before = values
            deleteChunks()
            minimiseEachChoice()
            if values == before { break }
        }
        return best
    }

    /// Size-like choices (small maxima, e.g. dimensions) that deletion may decrement.
    func sizeLikeIndices(before index: Int) -> [Int] {
        let small = (0..<min(index, best.count)).filter { best[$0].maximum < 1 << 16 && best[$0].value > 0 }
        return Array(Set(small.prefix(2) + small.suffix(2))).sorted()
    }

    mutating func deleteChunks() {
        for size in [8, 4, 2, 1] {
            var start = best.count - size
            while start >= 0 && evaluations < budget {
                if start + size <= best.count {
                    var candidate = values
                    candidate.removeSubrange(start..<start + size)
                    if !attempt(candidate) {
                        for j in sizeLikeIndices(before: start) {
                            var decremented = candidate
                            decremented[j] -= 1
                            if attempt(decremented) { break }
                        }
                    }
                }
                start -= 1
            }
        }
    }

    mutating func minimiseEachChoice() {
        var i = 0
        while i < best.count && evaluations < budget {
            let current = best[i].value
            if current > 0 {
                var zero = values
                zero[i] = 0
                if !attempt(zero) {
                    // Invariant: value lo passes (0 just did), value hi = best[i] fails.
                    var lo: UInt64 = 0
                    while i < best.count, lo + 1 < best[i].value, evaluations < budget {
                        let hi = best[i].value
                        let mid = lo + (hi - lo) / 2
                        var candidate = values
                        candidate[i] = mid
                        if !attempt(candidate) { lo = mid }
                    }
                }
            }
            i += 1
        }
    }
}
