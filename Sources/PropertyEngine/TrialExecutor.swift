import Dispatch
import Synchronization

/// Runs independent trials on a fixed number of workers and returns their results in the
/// order given, so whatever consumes them sequentially sees the same thing for any worker count.
enum TrialExecutor {
    /// `body(i)` for every i in `indices`, computed by `workers` threads (static striping).
    static func evaluate<R: Sendable>(_ indices: Range<Int>, workers: Int, _ body: @Sendable (Int) -> R) -> [R] {
        evaluate(Array(indices), workers: workers, body)
    }

    /// `body(i)` for every i in `indices` (any order of indices), results in the same order.
    static func evaluate<R: Sendable>(_ indices: [Int], workers: Int, _ body: @Sendable (Int) -> R) -> [R] {
        let count = indices.count
        if count == 0 { return [] }
        let lanes = min(max(workers, 1), count)
        if lanes == 1 { return indices.map(body) }
        let slots = Mutex<[R?]>([R?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            var position = lane
            while position < count {
                let result = body(indices[position])
                slots.withLock { $0[position] = result }
                position += lanes
            }
        }
        return slots.withLock { $0.map { $0! } }
    }
}
