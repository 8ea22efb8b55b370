import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// Per-prompt losses and gradients of a layer at a fixed mu on fresh prompts: the raw material
/// of the Monte Carlo claims and of the gradient-noise covariance behind the SGD tolerances.
enum PromptSampling {
    /// `count` (loss, gradient) pairs, drawn in units of `source.promptsPerUnit` from
    /// `stream.child(unit)`.
    static func lossesAndGradients(_ layer: AttentionLayer, source: some PromptSource, length: Int, mu: [Double],
                                   count: Int, stream: RandomStream) -> [(loss: Double, gradient: [Double])] {
        let d = source.dimension
        let perUnit = source.promptsPerUnit
        var prompts = [Double](repeating: 0, count: perUnit * length * d)
        var scratch = [Double](repeating: 0, count: source.scratchCount(length: length))
        var layerScratch = [Double](repeating: 0, count: AttentionLayer.scratchCount(length: length, dimension: d))
        var result = [(loss: Double, gradient: [Double])]()
        result.reserveCapacity(count)
        var unit = 0
        while result.count < count {
            var unitStream = stream.child(unit)
            prompts.withUnsafeMutableBufferPointer { p in
                scratch.withUnsafeMutableBufferPointer { s in source.fillUnit(p, length: length, stream: &unitStream, scratch: s) }
            }
            for k in 0..<min(perUnit, count - result.count) {
                var gradient = [Double](repeating: 0, count: d)
                let loss = prompts.withUnsafeBufferPointer { p in
                    layerScratch.withUnsafeMutableBufferPointer { s in
                        gradient.withUnsafeMutableBufferPointer { g in
                            layer.lossAndGradient(prompts: p.baseAddress! + k * length, count: 1, length: length, dimension: d,
                                                  coordinateStride: perUnit * length, mu: mu, gradient: g.baseAddress!, scratch: s.baseAddress!)
                        }
                    }
                }
                result.append((loss, gradient))
            }
            unit += 1
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
