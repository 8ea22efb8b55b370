internal import AttentionKernels
import Randomness

/// The instruction sets the attention layer's kernel is compiled for; the widest one the CPU
/// supports is used unless a caller asks for another.
///
/// All of them give bit-identical results (the kernel fixes its lanes and summation order
/// and does not fuse multiply-adds), so the choice changes speed only; tests and benchmarks
/// compare them. The same type as the normal generator's (`NormalSampler.InstructionSet`):
/// both C kernels are built for the same three sets and share one CPU detection
/// (Sources/CPUFeatures).
public typealias InstructionSet = NormalSampler.InstructionSet

extension InstructionSet {
    /// exp(x) of each x <= 0 as the softmax kernel computes it with this instruction set
    /// (within 2 ulp; arguments below -708 clamped there), and their sum. Public so that the
    /// kernel's accuracy can be tested from outside the module: tests use the public API only,
    /// in release builds.
    public func kernelExponentials(of arguments: [Double]) -> (values: [Double], sum: Double) {
        var values = arguments
        let sum = values.withUnsafeMutableBufferPointer { buffer in
            attention_exp_nonpositive(buffer.baseAddress, buffer.count, Int32(rawValue))
        }
        return (values, sum)
    }
}
