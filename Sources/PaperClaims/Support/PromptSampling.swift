import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// Per-prompt losses and gradients of a layer at a fixed mu on fresh prompts: the raw material
/// of the Monte Carlo claims and of the gradient-noise covariance behind the SGD tolerances.
enum PromptSampling {
    /// `count` (loss, gradient) pairs of `layer` at `mu`, one per prompt, drawn in units of
    /// `source.promptsPerUnit` from `stream.child(unit)`. The prompts stay in factored form
    /// and go through `PromptLayer.lossAndGradient(_:mu:...)` one prompt at a time: the same
    /// entry point (and, for `AttentionLayer`, the same C kernel) that SGD trains through.
    static func lossesAndGradients(_ layer: some PromptLayer, source: some PromptSource, length: Int, mu: [Double],
                                   count: Int, stream: RandomStream) -> [(loss: Double, gradient: [Double])] {
        let d = source.dimension
        var scratch = [Double](repeating: 0, count: source.scratchCount(length: length))
        var layerScratch = [Double](repeating: 0, count: layer.scratchCount(length: length, dimension: d))
        var result = [(loss: Double, gradient: [Double])]()
        result.reserveCapacity(count)
        var unitIndex = 0
        while result.count < count {
            var unitStream = stream.child(unitIndex)
            scratch.withUnsafeMutableBufferPointer { s in
                let unit = source.drawUnit(length: length, stream: &unitStream, scratch: s)
                for k in 0..<min(unit.count, count - result.count) {
                    var gradient = [Double](repeating: 0, count: d)
                    let loss = layerScratch.withUnsafeMutableBufferPointer { ls in
                        gradient.withUnsafeMutableBufferPointer { g in
                            layer.lossAndGradient(unit.prompt(k), mu: mu, gradient: g.baseAddress!, scratch: ls.baseAddress!, instructionSet: .best)
                        }
                    }
                    result.append((loss, gradient))
                }
            }
            unitIndex += 1
        }
        return result
    }

    /// The covariance of the per-prompt gradients (their mean is subtracted).
    static func gradientCovariance(_ samples: [(loss: Double, gradient: [Double])]) -> Matrix {
        let d = samples[0].gradient.count
        let n = Double(samples.count)
        var mean = [Double](repeating: 0, count: d)
        for s in samples { for j in 0..<d { mean[j] += s.gradient[j] / n } }
        var c = Matrix(rows: d, columns: d)
        for s in samples {
            for i in 0..<d { for j in 0..<d { c[i, j] += (s.gradient[i] - mean[i]) * (s.gradient[j] - mean[j]) / (n - 1) } }
        }
        return c
    }
}
