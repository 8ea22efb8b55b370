import AttentionModels
import Instances
import LinearAlgebra
import Randomness

func probeUnit() throws {
    var stream = RandomStream(seed: 1)
    let a = Matrix(rows: 5, columns: 5, elements: stream.normals(25))
    let s = try Covariance(a.gram + 0.1 * Matrix.identity(5))
    let source = GaussianPromptSource(covariance: s, promptsPerUnit: 32)
    let layer = try AttentionLayer(kind: .softmax, lam: 0.1)
    let mu = stream.normals(5).scaled(by: 0.1)
    let n = 32 * 100 * 5
    let prompts = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
    let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
    let ls = UnsafeMutablePointer<Double>.allocate(capacity: 1000)
    let g = UnsafeMutablePointer<Double>.allocate(capacity: 5)
    let tNormals = median(repetitions: 200) { _ in NormalSampler.fill(scratch, from: &stream) }
    let tFill = median(repetitions: 200) { _ in source.fillUnit(prompts, length: 100, stream: &stream, scratch: scratch) }
    let tLayer = median(repetitions: 200) { _ in _ = layer.lossAndGradient(prompts: prompts.baseAddress!, count: 32, length: 100, dimension: 5, mu: mu, gradient: g, scratch: ls) }
    print("unit of 32 prompts: normals \(seconds(tNormals)*1e6) us, fillUnit \(seconds(tFill)*1e6) us, layer \(seconds(tLayer)*1e6) us")
}
