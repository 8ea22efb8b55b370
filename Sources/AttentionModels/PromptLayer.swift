import Instances

/// What SGD trains: a layer with a per-prompt loss and its gradient in mu, evaluated a unit of
/// factored prompts at a time. `AttentionLayer` (the paper's layer, through the C kernel) is
/// the production conformer; the harness's negative controls add deliberately wrong layers
/// without touching production code. The trainers are generic over it, so the production
/// path is specialised to `AttentionLayer` and computes exactly what it computed before.
public protocol PromptLayer: Sendable {
    /// Whether the query token is among the keys (a prompt then needs >= 1 token, else >= 2).
    var keysIncludeQuery: Bool { get }

    /// Scratch doubles `lossAndGradient` needs for prompts of `length` tokens in units whose
    /// latent dimension is at most `dimension` (sources keep it at most d).
    func scratchCount(length: Int, dimension: Int) -> Int

    /// The summed loss over the unit's prompts; the sum of their gradients in mu is added to
    /// `gradient` (d doubles). `scratch` has `scratchCount(length:dimension:)` doubles;
    /// `instructionSet` may change the speed, never the result.
    func lossAndGradient(_ unit: FactoredPrompts, mu: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
                         scratch: UnsafeMutablePointer<Double>, instructionSet: InstructionSet) -> Double
}

extension AttentionLayer: PromptLayer {
    /// `AttentionLayer.scratchCount(length:dimension:)`, as the protocol asks.
    public func scratchCount(length: Int, dimension: Int) -> Int { Self.scratchCount(length: length, dimension: dimension) }
}
