import Instances

/// The wrong model "naive softmax": the layer's loss and gradient with exp applied to the raw
/// scores, without subtracting the largest first. Mathematically the same function, but past a
/// score of 709 exp overflows float64 (inf / inf = NaN), and below -745 every weight underflows
/// to 0 (0 / 0): the result is NaN or wrong, silently. `softmax-extremes` must reject it.
enum NaiveSoftmax {
    /// Loss and gradient of prompt 0 of `unit`, computed naively.
    static func evaluate(_ unit: FactoredPrompts, lam: Double, mu: [Double]) -> (loss: Double, gradient: [Double]) {
        var reference = ReferenceSoftmaxAttention(lam: lam)
        reference.subtractsMaximum = false
        let e = reference.evaluate(unit, prompt: 0, mu: mu)
        return (e.loss, e.gradient)
    }
}
