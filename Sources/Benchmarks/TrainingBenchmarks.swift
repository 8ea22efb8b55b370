import AttentionModels
import Dispatch
import Instances
import LinearAlgebra
import Randomness

/// SGD steps at the paper's shapes against the floor of drawing their random numbers alone,
/// measured as ratios in one run (the machine is shared and noisy; ratios travel, seconds do
/// not): each step is timed next to a floor run, and the ratio is the median of those pairs.
func runTrainingBenchmarks() throws {
    var stream = RandomStream(seed: 2026)
    let a = Matrix(rows: 5, columns: 5, elements: stream.normals(25))
    let s = try Covariance(a.gram + 0.1 * Matrix.identity(5))
    let softmax = try AttentionLayer(kind: .softmax, lam: 0.1)
    let mu = stream.normals(5).scaled(by: 0.1)

    print("\n== SGD steps vs their random numbers (release build) ==")
    for workers in [1, 2] {
        // Fig 3a: d = 5, L = 100, batch 256 = 8 units of 32 prompts.
        let source = GaussianPromptSource(covariance: s, promptsPerUnit: 32)
        let batch = BatchGradient(layer: softmax, source: source, length: 100, units: 8, workers: workers)
        let fig3a = pairedMedians(repetitions: 41,
            { t in _ = batch.evaluate(at: mu, stream: RandomStream(seed: UInt64(t))) },
            { t in drawNormals(units: 8, perUnit: 32 * 100 * 5, workers: workers, seed: UInt64(t)) })
        report("Fig 3a step (d=5, L=100, batch 256)", workers: workers, timing: fig3a, prompts: 256)
        if workers == 1 {
            // The layer's kernel on each instruction set, against the baseline (SSE2 on x86-64).
            for set in InstructionSet.available where set != .baseline {
                let fast = BatchGradient(layer: softmax, source: source, length: 100, units: 8, workers: 1, instructionSet: set)
                let slow = BatchGradient(layer: softmax, source: source, length: 100, units: 8, workers: 1, instructionSet: .baseline)
                let timing = pairedMedians(repetitions: 41,
                    { t in _ = slow.evaluate(at: mu, stream: RandomStream(seed: UInt64(t))) },
                    { t in _ = fast.evaluate(at: mu, stream: RandomStream(seed: UInt64(t))) })
                print("Fig 3a step with the \(InstructionSet.baseline) kernel / with \(set): \(format(timing.ratio)) "
                    + "(\(format(seconds(timing.first) * 1e3)) ms / \(format(seconds(timing.second) * 1e3)) ms)")
            }
        }

        // Fig 7a: 100 covariances W_5(10, V) x 100 prompts of 100 tokens.
        let v = stream.unitVector(dimension: 5)
        let icl = try InContextRisk(spike: v, xi: 1, theta: 2, degreesOfFreedom: 10, lam: 1e-3)
        let wishart = WishartPromptSource(scale: icl.scale, degreesOfFreedom: 10, promptsPerCovariance: 100)
        let iclBatch = BatchGradient(layer: try AttentionLayer(kind: .softmax, lam: 1e-3), source: wishart, length: 100, units: 100, workers: workers)
        let fig7a = pairedMedians(repetitions: 9,
            { t in _ = iclBatch.evaluate(at: mu, stream: RandomStream(seed: UInt64(t))) },
            { t in drawNormals(units: 100, perUnit: 100 * 100 * 5 + 50, workers: workers, seed: UInt64(t)) })
        report("Fig 7a step (100 cov x 100 prompts x L=100)", workers: workers, timing: fig7a, prompts: 10_000)
    }
}

/// The layer's kernel on one Fig. 7a unit (100 prompts, d = 5, a Wishart covariance) against
/// the prompt length, one prompt at a time against eight side by side (bit-identical results):
/// the measurement behind `ATTENTION_LANES_BELOW`, the length where the automatic choice switches.
func runKernelBatchingBenchmarks() throws {
    var stream = RandomStream(seed: 2027)
    let icl = try InContextRisk(spike: stream.unitVector(dimension: 5), xi: 1, theta: 2, degreesOfFreedom: 10, lam: 1e-3)
    let source = WishartPromptSource(scale: icl.scale, degreesOfFreedom: 10, promptsPerCovariance: 100)
    let layer = try AttentionLayer(kind: .softmax, lam: 1e-3)
    let mu = stream.normals(5)
    print("\n== The layer's kernel on a Fig 7a unit (100 prompts, d = 5): one prompt at a time / eight side by side ==")
    for length in [3, 8, 13, 23, 33, 48, 63, 78, 98] {
        var scratch = [Double](repeating: 0, count: source.scratchCount(length: length))
        var layerScratch = [Double](repeating: 0, count: layer.scratchCount(length: length, dimension: 5))
        var gradient = [Double](repeating: 0, count: 5)
        var unitStream = stream.child(length)
        scratch.withUnsafeMutableBufferPointer { sc in
            let unit = source.drawUnit(length: length, stream: &unitStream, scratch: sc)
            let timing = pairedMedians(repetitions: 201,
                { _ in _ = layer.lossAndGradient(unit, mu: mu, gradient: &gradient, scratch: &layerScratch, instructionSet: .best,
                                                 batching: .eachPrompt) },
                { _ in _ = layer.lossAndGradient(unit, mu: mu, gradient: &gradient, scratch: &layerScratch, instructionSet: .best,
                                                 batching: .eightPrompts) })
            print("L = \(length): one at a time \(format(seconds(timing.first) * 1e6)) us, eight side by side "
                + "\(format(seconds(timing.second) * 1e6)) us per unit; ratio \(format(timing.ratio))")
        }
    }
}

/// Draws `units` x `perUnit` normals split across `workers` as the SGD step splits its units.
private func drawNormals(units: Int, perUnit: Int, workers: Int, seed: UInt64) {
    let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: perUnit * workers)
    defer { buffer.deallocate() }
    let root = RandomStream(seed: seed)
    let shared = BufferBox(buffer)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        var u = w
        while u < units {
            var unitStream = root.child(u)
            NormalSampler.fill(UnsafeMutableBufferPointer(rebasing: shared.buffer[(w * perUnit)..<((w + 1) * perUnit)]), from: &unitStream)
            u += workers
        }
    }
}

/// A buffer shared with worker threads that each write their own slice.
private struct BufferBox: @unchecked Sendable {
    // @unchecked: workers write disjoint slices, and the owner reads after they finish.
    let buffer: UnsafeMutableBufferPointer<Double>
    init(_ buffer: UnsafeMutableBufferPointer<Double>) { self.buffer = buffer }
}

private func report(_ name: String, workers: Int, timing: (first: Duration, second: Duration, ratio: Double), prompts: Int) {
    let stepSeconds = seconds(timing.first), floorSeconds = seconds(timing.second)
    print("\(name), \(workers) worker(s): step \(format(stepSeconds * 1e3)) ms (\(format(1 / stepSeconds)) steps/s, "
        + "\(format(Double(prompts) / stepSeconds)) prompts/s); random numbers alone \(format(floorSeconds * 1e3)) ms; "
        + "step / floor = \(format(timing.ratio)) (median of paired runs)")
}
