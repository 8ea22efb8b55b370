import Dispatch
import Foundation
import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// One paper figure's SGD protocol run exactly as published (a fixed number of steps, no
/// convergence window, no audit continuation, no report), for timing the harness as a whole
/// process against another system (`scripts/bench-vs-jax`). It prints one JSON object on
/// stdout: the figure's covariance or spike, every run's start and final parameters, final
/// alignment, squared norm and last batch loss, so the other system can train from the same
/// starts and its results can be compared with these.
///
/// The data are drawn from the streams `attention-pca reproduce <figure>` uses for the same
/// seed (covariance or spike, starts, prompts), so with the same seed the figure's S or v is
/// the one of the reproduction; the reproduction's runs differ only where its audit stops a
/// converged run's window early or continues a run past the budget.
struct ProtocolBenchmark {
    /// The figures whose protocol can be run.
    enum Figure: String, CaseIterable {
        /// Softmax SGD, d = 5, L = 100, batch 256 (8 units of 32), lam = 0.1, lr 1e-4,
        /// mu0 = 0.1 N(0, I), S = A A^T + 0.1 I drawn once; published: 3000 steps, 10 runs.
        case fig3a
        /// In-context SGD, d = 5, n = 10, xi = 1, theta = 2, L = 100, lam = 1e-3, lr 5e-3, each step
        /// 100 Wishart covariances x 100 prompts, mu0 on the unit sphere; published: 1000 steps, 10 runs.
        case fig7a

        /// The published step budget.
        var publishedSteps: Int { self == .fig3a ? 3000 : 1000 }
    }

    let figure: Figure
    let runs: Int
    let steps: Int
    let workers: Int
    let seed: UInt64

    /// Parses `protocol <figure> [--runs N] [--steps N] [--workers N] [--seed N]`; throws a
    /// message naming the bad argument.
    init(arguments: [String]) throws(UsageError) {
        guard let name = arguments.first, let figure = Figure(rawValue: name) else {
            throw UsageError("protocol needs a figure: \(Figure.allCases.map(\.rawValue).joined(separator: " | ")), got \(arguments.first ?? "nothing")")
        }
        var values = ["--runs": 10, "--steps": figure.publishedSteps, "--workers": ProcessInfo.processInfo.activeProcessorCount, "--seed": 1]
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            guard values[flag] != nil else { throw UsageError("unknown option \(flag)") }
            guard let text = rest.popFirst(), let value = Int(text), value >= (flag == "--seed" ? 0 : 1) else {
                throw UsageError("\(flag) needs an integer \(flag == "--seed" ? ">= 0" : ">= 1")")
            }
            values[flag] = value
        }
        self.figure = figure
        runs = values["--runs"]!
        steps = values["--steps"]!
        workers = values["--workers"]!
        seed = UInt64(values["--seed"]!)
    }

    /// Trains every run and prints the JSON summary, with the training time alone
    /// (`trainingSeconds`, the whole process's time less start-up and setup).
    func run() throws {
        let root = RandomStream(seed: seed).child(figure.rawValue)
        let layer: AttentionLayer
        let target: [Double]
        let starts: [[Double]]
        let streams = (0..<runs).map { root.child($0).child("SGD") }
        var setting: [String: Any] = ["figure": figure.rawValue, "seed": seed, "runs": runs, "steps": steps, "workers": workers]
        let train: @Sendable (Int) -> TrainingResult
        switch figure {
        case .fig3a:
            var covarianceStream = root.child("covariance")
            let covariance = try Covariance.random(.paperGram(ridge: 0.1), dimension: 5, using: &covarianceStream)
            layer = try AttentionLayer(kind: .softmax, lam: 0.1)
            target = covariance.topEigenvector
            starts = streams.map { var s = $0.child("start"); return s.normals(5).scaled(by: 0.1) }
            setting["covariance"] = covariance.matrix.elements
            let source = GaussianPromptSource(covariance: covariance, promptsPerUnit: 32)
            let sgd = try StochasticGradientDescent(learningRate: 1e-4, maximumSteps: steps, unitsPerStep: 8, workers: 1, recordEvery: steps)
            train = { [layer] r in sgd.train(layer, on: source, promptLength: 100, from: starts[r], stream: streams[r].child("prompts"),
                                             alignmentTarget: target) }
        case .fig7a:
            var spikeStream = root.child("spike")
            let spike = spikeStream.unitVector(dimension: 5)
            let risk = try InContextRisk(spike: spike, xi: 1, theta: 2, degreesOfFreedom: 10, lam: 1e-3)
            layer = try AttentionLayer(kind: .softmax, lam: 1e-3)
            target = spike
            starts = streams.map { var s = $0.child("start"); return s.unitVector(dimension: 5) }
            setting["spike"] = spike
            let source = WishartPromptSource(scale: risk.scale, degreesOfFreedom: 10, promptsPerCovariance: 100)
            let sgd = try StochasticGradientDescent(learningRate: 5e-3, maximumSteps: steps, unitsPerStep: 100, workers: 1, recordEvery: steps)
            train = { [layer] r in sgd.train(layer, on: source, promptLength: 100, from: starts[r], stream: streams[r].child("prompts"),
                                             alignmentTarget: target) }
        }
        // Runs are the grain of parallel work (as in `attention-pca reproduce`): worker w trains
        // runs w, w + W, ...; each run's result depends only on its own stream.
        let clock = ContinuousClock()
        let slots = ResultSlots(count: runs)
        let elapsed = clock.measure {
            DispatchQueue.concurrentPerform(iterations: min(workers, runs)) { w in
                for r in stride(from: w, to: runs, by: min(workers, runs)) { slots.store(train(r), at: r) }
            }
        }
        let results = slots.results
        setting["target"] = target
        setting["starts"] = starts
        setting["final"] = results.map(\.parameters)
        setting["alignment"] = results.map { $0.parameters.alignment(with: target) }
        setting["squaredNorm"] = results.map(\.parameters.squaredNorm)
        setting["finalBatchLoss"] = results.map { $0.trajectory.last?.batchLoss ?? .nan }
        setting["stop"] = results.map(\.stop.rawValue)
        setting["trainingSeconds"] = seconds(elapsed)
        let json = try JSONSerialization.data(withJSONObject: setting, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
}

/// A command-line mistake, printed with the usage line.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// One result slot per run, written by the worker that owns the run.
private final class ResultSlots: @unchecked Sendable {
    // @unchecked: worker w writes only the slots of its own runs (r = w, w + W, ...) through a
    // buffer allocated once (no array copy-on-write between threads), and `results` is read
    // after `concurrentPerform` returns.
    private let slots: UnsafeMutableBufferPointer<TrainingResult?>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }
    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
    func store(_ result: TrainingResult, at index: Int) { slots[index] = result }
    var results: [TrainingResult] { slots.map { $0! } }
}
