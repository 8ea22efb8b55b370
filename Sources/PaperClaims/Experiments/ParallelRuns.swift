import Dispatch
import Synchronization

/// Runs independent jobs (runs, or sweep points x runs) on a fixed number of threads and
/// returns their results in job order. Each job draws from its own random stream, so the
/// results do not depend on the thread count or on the order jobs finish in.
enum ParallelRuns {
    /// `body(i)` for i in 0..<count on `workers` threads (jobs are handed out one at a time, so
    /// long and short jobs balance); the first error thrown, in job order, is rethrown.
    static func map<R: Sendable>(_ count: Int, workers: Int, _ body: @Sendable (Int) throws -> R) throws -> [R] {
        if count == 0 { return [] }
        let lanes = min(max(workers, 1), count)
        if lanes == 1 { return try (0..<count).map(body) }
        let next = Mutex(0)
        let slots = Mutex<[Result<R, any Error>?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: lanes) { _ in
            while true {
                let job = next.withLock { index -> Int in
                    defer { index += 1 }
                    return index
                }
                guard job < count else { return }
                let result = Result { try body(job) }
                slots.withLock { $0[job] = result }
            }
        }
        return try slots.withLock { $0 }.map { try $0!.get() }
    }

    /// Threads left for each job's own parallel work (SGD batches) when `jobs` jobs share
    /// `workers` threads: the jobs themselves are the better grain, so this is 1 unless there are
    /// fewer jobs than threads.
    static func innerWorkers(jobs: Int, workers: Int) -> Int { max(1, workers / max(1, min(workers, jobs))) }
}
