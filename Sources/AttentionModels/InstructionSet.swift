internal import AttentionKernels

/// The instruction sets the attention layer's kernel is compiled for; the widest one the CPU
/// supports is used unless a caller asks for another.
///
/// All of them give bit-identical results (the kernel fixes its lanes and summation order
/// and does not fuse multiply-adds), so the choice changes speed only; tests and benchmarks
/// compare them.
public enum InstructionSet: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// The target's baseline (SSE2 on x86-64), available everywhere.
    case baseline = 0
    /// 256-bit AVX2 (x86-64 only).
    case avx2 = 1
    /// 512-bit AVX-512F (x86-64 only).
    case avx512 = 2

    /// The widest instruction set this CPU and OS support.
    public static var best: InstructionSet { InstructionSet(rawValue: Int(attention_best_instruction_set())) ?? .baseline }

    /// The instruction sets usable here, narrowest first.
    public static var available: [InstructionSet] { allCases.filter { $0 <= best } }

    public static func < (a: InstructionSet, b: InstructionSet) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .baseline: "baseline"
        case .avx2: "AVX2"
        case .avx512: "AVX-512"
        }
    }
}

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
