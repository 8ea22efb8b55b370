import Instances
import LinearAlgebra
import Randomness

/// A prompt source that ignores the stream it is handed and always draws from one fixed
/// stream (the `stream-reused-across-steps` control): every unit of every SGD step gets the
/// same prompts, so SGD minimises one fixed batch's empirical risk instead of the risk.
struct ReusedStreamPromptSource<Base: PromptSource>: PromptSource {
    let base: Base
    let fixed: RandomStream

    var dimension: Int { base.dimension }
    var promptsPerUnit: Int { base.promptsPerUnit }
    func scratchCount(length: Int) -> Int { base.scratchCount(length: length) }
    func drawUnit(length: Int, stream: inout RandomStream, scratch: UnsafeMutableBufferPointer<Double>) -> FactoredPrompts {
        var reused = fixed
        return base.drawUnit(length: length, stream: &reused, scratch: scratch)
    }
}
