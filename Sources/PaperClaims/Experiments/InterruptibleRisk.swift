import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// A risk that behaves exactly like `base` until its run's `RunInterruption` says stop; from then
/// on its gradient is NaN, so gradient descent (and the steps-needed search) stops at its
/// divergence check on the next step. See `RunInterruption`.
struct InterruptibleRisk<Base: DifferentiableRisk>: DifferentiableRisk {
    let base: Base
    let interruption: RunInterruption?

    var dimension: Int { base.dimension }
    func value(at mu: [Double]) -> Double { base.value(at: mu) }
    func gradient(at mu: [Double]) -> [Double] {
        if interruption?.shouldStop == true { return [Double](repeating: .nan, count: mu.count) }
        return base.gradient(at: mu)
    }
    func hessian(at mu: [Double]) -> Matrix { base.hessian(at: mu) }
    var criticalPoints: [CriticalPoint] { base.criticalPoints }
}

/// A prompt source that draws exactly as `base` until its run's `RunInterruption` says stop; from
/// then on the factor of every unit is NaN, so SGD stops at its non-finite-loss check on the next
/// step. See `RunInterruption`.
struct InterruptiblePromptSource<Base: PromptSource>: PromptSource {
    let base: Base
    let interruption: RunInterruption?

    var dimension: Int { base.dimension }
    var promptsPerUnit: Int { base.promptsPerUnit }
    func scratchCount(length: Int) -> Int { base.scratchCount(length: length) }
    func drawUnit(length: Int, stream: inout RandomStream, scratch: UnsafeMutableBufferPointer<Double>) -> FactoredPrompts {
        let unit = base.drawUnit(length: length, stream: &stream, scratch: scratch)
        if interruption?.shouldStop == true {
            // The factor lies in `scratch`, which this source owns for the call.
            UnsafeMutablePointer(mutating: unit.factor).update(repeating: .nan, count: unit.dimension * unit.latentDimension)
        }
        return unit
    }
}
