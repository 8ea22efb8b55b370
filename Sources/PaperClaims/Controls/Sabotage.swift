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
    /// SGD trains a softmax layer whose per-prompt gradient has one wrong term (the softmax
    /// normaliser's, sign flipped: `WrongSoftmaxGradientLayer`); the loss and the data are right.
    case softmaxGradientWrongTerm = "softmax-gradient-wrong-term"
}
