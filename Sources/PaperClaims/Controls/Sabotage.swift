/// A deliberately wrong model or instance, used only to show that a claim's check can fail:
/// every claim lists the ones it must reject (`negative-controls` in its catalogue file), and
/// the tests run the claim against each and expect a failing verdict.
public enum Sabotage: String, Sendable, Codable, CaseIterable {
    /// S where S^2 belongs in R_inf: R = tr S - 2 lam a + lam^2 a^2 (its minimisers fill an ellipsoid).
    case squareReplacedByCovariance = "square-replaced-by-covariance"
    /// A sign error in the gradient of R_inf: 2 lam [ (lam a - 2) S^2 mu - lam b S mu ].
    case gradientSignError = "gradient-sign-error"
    /// R_lin,L evaluated with L + 1 tokens (an off-by-one in the prompt length).
    case promptLengthOffByOne = "prompt-length-off-by-one"
    /// Linear attention averaged over the keys instead of summed.
    case linearAveraged = "linear-averaged"
    /// The query token left out of the keys.
    case queryOutOfKeys = "query-out-of-keys"
    /// The Wishart covariance normalised by n (S = Z^T Z / n instead of Z^T Z).
    case wishartNormalised = "wishart-normalised"
    /// An instance with no spectral gap (s_1 = s_2), where u_1 is not defined.
    case noSpectralGap = "no-spectral-gap"
    /// Prompts drawn from a covariance whose top eigenvector is rotated away from the u_1 the
    /// claim targets (a data bug: the model learns the wrong direction correctly).
    case rotatedData = "rotated-data"
    /// The closed-form risk compared with a Monte Carlo mean of the wrong layer kind
    /// (softmax losses against the linear-attention formula).
    case wrongLayerKind = "wrong-layer-kind"
    /// A softmax that applies exp to the raw scores without subtracting the largest first
    /// (overflow past a score of 709, silently NaN or wrong; `NaiveSoftmax`).
    case naiveSoftmax = "naive-softmax"

    /// The wrong model in a sentence (for the self-check table).
    public var summary: String {
        switch self {
        case .squareReplacedByCovariance: return "S where S^2 belongs in R_inf"
        case .gradientSignError: return "a sign error in the gradient of R_inf"
        case .promptLengthOffByOne: return "L + 1 tokens where L belong"
        case .linearAveraged: return "linear attention averaged over the keys instead of summed"
        case .queryOutOfKeys: return "the query token left out of the keys"
        case .wishartNormalised: return "the Wishart covariance normalised by n"
        case .noSpectralGap: return "an instance with s_1 = s_2 (u_1 undefined)"
        case .rotatedData: return "prompts from a covariance whose top direction is rotated by 30 degrees"
        case .wrongLayerKind: return "softmax losses compared with the linear-attention formula"
        case .naiveSoftmax: return "a softmax without subtracting the largest score before exp"
        }
    }
}
