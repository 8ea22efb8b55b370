import Dispatch
import Instances
import LinearAlgebra
import Randomness

/// SGD on fresh prompts (the paper's protocol): every step draws a new batch from a
/// `PromptSource` and moves mu against the batch-mean gradient of the attention layer's loss.
///
/// Determinism: step t's unit u is drawn from `stream.child(t).child(u)` and the units'
/// gradients are summed in unit order, so the trained parameters are bit-identical for any
/// number of workers.
///
/// Convergence criterion (SGD never reaches a point): the run is cut into windows of `window`
/// steps; it has converged when two consecutive window means of mu differ by at most
/// `relativeTolerance` x |mean|. The deterministic drift between windows then is below that
/// level, and what remains is the stationary jitter of SGD, which the window mean (Polyak
/// average, returned as `averagedParameters`) smooths. Any non-finite loss, gradient or
/// iterate stops the run as `.diverged` with a diagnosis; `shouldStop` ends it early as `.stopped`.
public struct StochasticGradientDescent: Sendable {
    /// The learning rate.
    public var learningRate: Double
    /// The step budget.
    public var maximumSteps: Int
    /// Units of the prompt source per step (batch size = units x prompts per unit).
    public var unitsPerStep: Int
    /// Worker threads; the result does not depend on it.
    public var workers: Int
    /// Steps per convergence window (also the Polyak-averaging window).
    public var window: Int
    /// Relative change of consecutive window means that counts as converged (nil: run the
    /// whole budget, as the paper does).
    public var relativeTolerance: Double?
    /// Record a trajectory point every this many steps (nil: record nothing).
    public var recordEvery: Int?
    /// Asked before every step; when it returns true the run ends as `.stopped` (how a
    /// cancelled long run stops between its steps). Nil: never asked.
    public var shouldStop: (@Sendable () -> Bool)?

    /// An SGD configuration; every count must be positive and the learning rate finite and > 0.
    public init(learningRate: Double, maximumSteps: Int, unitsPerStep: Int, workers: Int = 1, window: Int = 100,
                relativeTolerance: Double? = nil, recordEvery: Int? = nil) throws(ModelError) {
        guard learningRate.isFinite, learningRate > 0 else {
            throw .invalidParameter(name: "learning rate", value: learningRate, requirement: "a finite number > 0")
        }
        guard maximumSteps >= 0 else { throw .invalidParameter(name: "maximum steps", value: Double(maximumSteps), requirement: ">= 0") }
        guard unitsPerStep >= 1 else { throw .invalidParameter(name: "units per step", value: Double(unitsPerStep), requirement: ">= 1") }
        guard workers >= 1 else { throw .invalidParameter(name: "workers", value: Double(workers), requirement: ">= 1") }
        guard window >= 1 else { throw .invalidParameter(name: "window", value: Double(window), requirement: ">= 1") }
        if let tol = relativeTolerance, !(tol >= 0) { throw .invalidParameter(name: "relative tolerance", value: tol, requirement: ">= 0") }
        if let k = recordEvery, k < 1 { throw .invalidParameter(name: "recordEvery", value: Double(k), requirement: ">= 1") }
        self.learningRate = learningRate
        self.maximumSteps = maximumSteps
        self.unitsPerStep = unitsPerStep
        self.workers = workers
        self.window = window
        self.relativeTolerance = relativeTolerance
        self.recordEvery = recordEvery
    }

    /// Trains `layer` on prompts of `promptLength` tokens from `source`, starting at `start`.
    /// `risk`, if given, is evaluated at recorded points (a closed form, when one exists).
    public func train(
        _ layer: some PromptLayer, on source: some PromptSource, promptLength: Int, from start: [Double],
        stream: RandomStream, alignmentTarget target: [Double]? = nil, risk: (@Sendable ([Double]) -> Double)? = nil
    ) -> TrainingResult {
        let d = source.dimension
        precondition(start.count == d, "start has dimension \(start.count), the source has \(d)")
        precondition(promptLength >= (layer.keysIncludeQuery ? 1 : 2),
                     "promptLength must leave at least one key (>= 1, or >= 2 when the query is not a key)")
        let batch = BatchGradient(layer: layer, source: source, length: promptLength, units: unitsPerStep, workers: workers)
        let batchSize = Double(unitsPerStep * source.promptsPerUnit)
        var mu = start
        var trajectory = [TrajectoryPoint]()
        var windowSum = [Double](repeating: 0, count: d)
        var previousWindowMean: [Double]?
        var lastWindowMean = start
        var gradientNorm = Double.nan
        var step = 0
        while true {
            let (lossSum, gradientSum) = batch.evaluate(at: mu, stream: stream.child(step))
            let loss = lossSum / batchSize
            let gradient = gradientSum.scaled(by: 1 / batchSize)
            gradientNorm = gradient.norm
            if let k = recordEvery, step % k == 0 || step == maximumSteps {
                trajectory.append(TrajectoryPoint(step: step, alignment: target.map { mu.alignment(with: $0) },
                                                  risk: risk?(mu), batchLoss: loss, squaredNorm: mu.squaredNorm))
            }
            guard loss.isFinite, gradientNorm.isFinite else {
                let diagnosis = "batch \(loss.isFinite ? "gradient" : "loss") is not finite at step \(step) "
                    + "(|mu|^2 = \(mu.squaredNorm), learning rate \(learningRate)): the learning rate is likely above "
                    + "the stable bound for this curvature, or the start is too far out (the loss is quartic in mu)"
                return result(.diverged, mu, lastWindowMean, step, gradientNorm, diagnosis, trajectory)
            }
            if step == maximumSteps { return result(.budgetExhausted, mu, lastWindowMean, step, gradientNorm, nil, trajectory) }
            if shouldStop?() == true {
                return result(.stopped, mu, lastWindowMean, step, gradientNorm, "stopped on request at step \(step)", trajectory)
            }
            for j in 0..<d { mu[j] -= learningRate * gradient[j] }
            step += 1
            guard mu.isFinite else {
                let diagnosis = "the iterate overflowed at step \(step) (learning rate \(learningRate))"
                return result(.diverged, mu.map { $0.isFinite ? $0 : .nan }, lastWindowMean, step, gradientNorm, diagnosis, trajectory)
            }
            for j in 0..<d { windowSum[j] += mu[j] }
            if step % window == 0 {
                let mean = windowSum.scaled(by: 1 / Double(window))
                windowSum = [Double](repeating: 0, count: d)
                lastWindowMean = mean
                if let tol = relativeTolerance, let previous = previousWindowMean,
                   mean.subtracting(previous).norm <= tol * mean.norm {
                    if let k = recordEvery, step % k != 0 {
                        trajectory.append(TrajectoryPoint(step: step, alignment: target.map { mu.alignment(with: $0) },
                                                          risk: risk?(mu), batchLoss: nil, squaredNorm: mu.squaredNorm))
                    }
                    return result(.converged, mu, mean, step, gradientNorm, nil, trajectory)
                }
                previousWindowMean = mean
            }
        }
    }

    private func result(_ stop: TrainingResult.Stop, _ mu: [Double], _ averaged: [Double], _ steps: Int, _ gradientNorm: Double,
                        _ diagnosis: String?, _ trajectory: [TrajectoryPoint]) -> TrainingResult {
        TrainingResult(stop: stop, parameters: mu, averagedParameters: averaged, steps: steps, finalGradientNorm: gradientNorm,
                       diagnosis: diagnosis, trajectory: trajectory)
    }
}

/// The batch loss and gradient of one SGD step, computed unit by unit on a fixed set of
/// workers with preallocated buffers (nothing is allocated per step but the small results).
public final class BatchGradient<Source: PromptSource, Layer: PromptLayer>: @unchecked Sendable {
    // @unchecked: the buffers are only touched inside `evaluate`, where worker w writes only
    // its own workspace and the result slots of the units it owns (u = w, w + W, ...); reads
    // of the shared slots happen after `concurrentPerform` returns.
    let layer: Layer
    let source: Source
    let length: Int
    let units: Int
    let workers: Int
    let instructionSet: InstructionSet
    private let dimension: Int
    private let sourceScratch: Int
    private let layerScratch: Int
    private let workspace: UnsafeMutableBufferPointer<Double>
    private let slots: UnsafeMutableBufferPointer<Double>

    /// Buffers for `units` units of prompts of `length` tokens, split across `workers`; the
    /// layer runs with `instructionSet` (speed only: results are bit-identical for all).
    public init(layer: Layer, source: Source, length: Int, units: Int, workers: Int, instructionSet: InstructionSet = .best) {
        self.layer = layer
        self.source = source
        self.length = length
        self.units = units
        self.workers = max(1, min(workers, units))
        self.instructionSet = instructionSet
        dimension = source.dimension
        sourceScratch = source.scratchCount(length: length)
        layerScratch = layer.scratchCount(length: length, dimension: dimension)
        let perWorker = sourceScratch + layerScratch
        workspace = .allocate(capacity: perWorker * self.workers)
        workspace.initialize(repeating: 0)
        slots = .allocate(capacity: units * (dimension + 1))
        slots.initialize(repeating: 0)
    }

    deinit {
        workspace.deallocate()
        slots.deallocate()
    }

    /// The summed loss and summed gradient over one step's units, drawn from `stream`'s
    /// children 0..<units.
    public func evaluate(at mu: [Double], stream: RandomStream) -> (loss: Double, gradient: [Double]) {
        let d = dimension
        mu.withUnsafeBufferPointer { muBuffer in
            let muPointer = SendablePointer(muBuffer.baseAddress!)
            if workers == 1 {
                work(worker: 0, mu: muPointer.pointer, stream: stream)
            } else {
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    self.work(worker: w, mu: muPointer.pointer, stream: stream)
                }
            }
        }
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: d)
        for u in 0..<units {
            let slot = u * (d + 1)
            loss += slots[slot]
            for j in 0..<d { gradient[j] += slots[slot + 1 + j] }
        }
        return (loss, gradient)
    }

    private func work(worker w: Int, mu: UnsafePointer<Double>, stream: RandomStream) {
        let d = dimension
        let base = workspace.baseAddress! + w * (sourceScratch + layerScratch)
        let scratch = UnsafeMutableBufferPointer(start: base, count: sourceScratch)
        let layerSpace = base + sourceScratch
        var u = w
        while u < units {
            var unitStream = stream.child(u)
            // The layer runs on the unit's normals with the factor folded in: forming the
            // tokens (a d x d by d x tokens dgemm) cost more than the layer at d = 5.
            let unit = source.drawUnit(length: length, stream: &unitStream, scratch: scratch)
            precondition(unit.latentDimension <= d, "a unit's latent dimension exceeds the dimension its scratch was sized for")
            let slot = slots.baseAddress! + u * (d + 1)
            for j in 0...d { slot[j] = 0 }
            slot[0] = layer.lossAndGradient(unit, mu: mu, gradient: slot + 1, scratch: layerSpace, instructionSet: instructionSet)
            u += workers
        }
    }
}

/// A raw pointer handed to worker threads that read disjoint or read-only memory.
struct SendablePointer: @unchecked Sendable {
    // @unchecked: used only for `mu`, which workers read and nobody writes during a step.
    let pointer: UnsafePointer<Double>
    init(_ pointer: UnsafePointer<Double>) { self.pointer = pointer }
}
