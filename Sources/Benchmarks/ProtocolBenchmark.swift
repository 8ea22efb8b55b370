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
        /// Softmax SGD on fresh Gaussian prompts, S = A A^T + 0.1 I drawn once (settings in `run`).
        case fig3a
        /// In-context SGD, each step over fresh Wishart covariances (settings in `run`).
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
        // The published settings are written here once: training uses them and the JSON carries
        // them, so the other system (scripts/bench_vs_jax.py) trains from these very values.
        switch figure {
        case .fig3a:
            let d = 5, length = 100, lam = 0.1, learningRate = 1e-4, promptsPerUnit = 32, unitsPerStep = 8, startScale = 0.1
            setting["protocol"] = ["dimension": d, "promptLength": length, "lam": lam, "learningRate": learningRate,
                                   "batch": promptsPerUnit * unitsPerStep, "startScale": startScale] as [String: Any]
            var covarianceStream = root.child("covariance")
            let covariance = try Covariance.random(.paperGram(ridge: 0.1), dimension: d, using: &covarianceStream)
            layer = try AttentionLayer(kind: .softmax, lam: lam)
            target = covariance.topEigenvector
            starts = streams.map { var s = $0.child("start"); return s.normals(d).scaled(by: startScale) }
            setting["covariance"] = covariance.matrix.elements
            let source = GaussianPromptSource(covariance: covariance, promptsPerUnit: promptsPerUnit)
            let sgd = try StochasticGradientDescent(learningRate: learningRate, maximumSteps: steps, unitsPerStep: unitsPerStep, workers: 1,
                                                    recordEvery: steps)
            train = { [layer] r in sgd.train(layer, on: source, promptLength: length, from: starts[r], stream: streams[r].child("prompts"),
                                             alignmentTarget: target) }
        case .fig7a:
            let d = 5, n = 10, xi = 1.0, theta = 2.0, length = 100, lam = 1e-3, learningRate = 5e-3
            let covariances = 100, promptsPerCovariance = 100
            setting["protocol"] = ["dimension": d, "degreesOfFreedom": n, "xi": xi, "theta": theta, "promptLength": length, "lam": lam,
                                   "learningRate": learningRate, "covariances": covariances,
                                   "promptsPerCovariance": promptsPerCovariance] as [String: Any]
            var spikeStream = root.child("spike")
            let spike = spikeStream.unitVector(dimension: d)
            let risk = try InContextRisk(spike: spike, xi: xi, theta: theta, degreesOfFreedom: n, lam: lam)
            layer = try AttentionLayer(kind: .softmax, lam: lam)
            target = spike
            starts = streams.map { var s = $0.child("start"); return s.unitVector(dimension: d) }
            setting["spike"] = spike
            let source = WishartPromptSource(scale: risk.scale, degreesOfFreedom: n, promptsPerCovariance: promptsPerCovariance)
            let sgd = try StochasticGradientDescent(learningRate: learningRate, maximumSteps: steps, unitsPerStep: covariances, workers: 1,
                                                    recordEvery: steps)
            train = { [layer] r in sgd.train(layer, on: source, promptLength: length, from: starts[r], stream: streams[r].child("prompts"),
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
