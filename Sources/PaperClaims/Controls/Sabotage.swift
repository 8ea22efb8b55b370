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
    /// The instance's "top eigenvector" taken from the wrong end of the eigendecomposition: u_d
    /// (the smallest eigenvalue's) as u_1, as if the eigenvalues were sorted ascending. Every claim
    /// that measures the distance or alignment to +-u_1 must fail: the correct descent still goes
    /// to +-u_1, orthogonal to u_d (distance sqrt 2 |mu*|, misalignment about 1), and the GD
    /// claims' "minimiser" along u_d is not even a minimum (the Hessian there has a negative
    /// eigenvalue), which their strict-minimum check reports before GD runs.
    case eigenOrderReversed = "eigen-order-reversed"
    /// The alignment cos(mu, u_1) without the absolute value, so a mu at -u_1 (as good a
    /// minimiser as +u_1: every risk is even in mu) counts as misaligned, 1 - cos = 2. SGD from
    /// a random direction ends near -u_1 on about half the instances; there the misalignment is
    /// about 2 for both batch sizes, a bias that no batch growth shrinks, so sampling-trend's
    /// ratio is about 1 on those instances and its pass rate falls to about 0.4 (claimed >= 0.75;
    /// its quick budget is 160 for this control's power).
    case alignmentWithoutAbsoluteValue = "alignment-without-absolute-value"
    /// Gradient descent's step 4 times the stable-step rule's value (`StepSizeRule.stable`,
    /// safety 0.5 x 2 / h_max): 4 / h_max, twice the stable bound 2 / h_max wherever the
    /// minimiser's curvature sets the rule, so GD cannot settle at the minimiser (it oscillates
    /// until the budget runs out, or diverges) and the GD claims' convergence check fails with
    /// the step-size diagnosis in its label (measured: on 80-85% of the quick instances; the rest
    /// start where the curvature is higher than at the minimiser, and 4x that rule's step is stable).
    case stepSizeScaled = "step-size-scaled"
    /// SGD that draws the same prompts at every step: a prompt source that ignores the per-step
    /// stream it is handed (stream.child(t).child(u)) and always draws from one fixed stream, so
    /// SGD minimises one fixed batch's empirical risk (every unit alike: `prompts-per-unit`
    /// distinct prompts). Its minimiser is off mu* by a sampling
    /// error of one batch, |.|^2 ~ tr(H^-1 Sigma H^-1) / (prompts per unit), far above the
    /// stationary spread tr C ~ eta tr Sigma / (2 B) that linear-sgd predicts for fresh prompts,
    /// while the iterates themselves no longer jitter: the statistic sits at its cap.
    case streamReusedAcrossSteps = "stream-reused-across-steps"

    /// SGD trains a softmax layer whose per-prompt gradient has one wrong term (the softmax
    /// normaliser's, sign flipped: `WrongSoftmaxGradientLayer`); the loss and the data are right.
    case softmaxGradientWrongTerm = "softmax-gradient-wrong-term"

    /// The finite-prompt linear-attention layer with one wrong term in its per-prompt gradient
    /// (the sign of alpha sum_k <r, x_k> x_k: `WrongLinearGradientLayer`); the loss and the data
    /// are right, and the minimiser stays a fixed point of SGD, so only a check of the mean
    /// gradient away from it (formulas-monte-carlo) sees it.
    case linearGradientWrongTerm = "linear-gradient-wrong-term"

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
        case .eigenOrderReversed: return "u_d (smallest eigenvalue) taken as the top eigenvector u_1"
        case .alignmentWithoutAbsoluteValue: return "the alignment cos(mu, u_1) without the absolute value"
        case .stepSizeScaled: return "gradient descent with 4 times the stable step-size rule's step"
        case .streamReusedAcrossSteps: return "SGD drawing the same prompts at every step (one fixed stream)"
        case .softmaxGradientWrongTerm: return "one wrong term (the normaliser's sign) in the finite-prompt softmax gradient"
        case .linearGradientWrongTerm: return "one wrong term (the sign of alpha sum_k <r, x_k> x_k) in the finite-prompt linear-attention gradient"
        }
    }
}
