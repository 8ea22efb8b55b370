import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// The softmax experiments: Fig. 3b (GD on R_inf), Fig. 3a (SGD on finite prompts), Fig. 1
/// (both on one S), final alignment against L, and Fig. 6a (R_inf against d).
extension PaperExperiments {
    /// Fig. 3b: gradient descent on R_inf.
    static let fig3b = PaperExperiment(
        id: "fig3b", title: "Softmax attention, infinite prompt: gradient descent on R_inf",
        parameters: "d = 5, lam = 0.01, step 1e-3, 3000 steps, mu0 uniform on the unit sphere (per run); S = A A^T + 0.1 I drawn once.",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig3b")
        let root = RandomStream(seed: options.seed).child("fig3b")
        let covariance = try paperCovariance(root, dimension: 5)
        let (summary, runs) = try softmaxInfiniteRuns(covariance, root: root, options: options, label: "GD on R_inf")
        let figure = ExperimentFigures.trajectoryFigure(
            id: "fig3b", title: "Fig. 3b: GD on R_inf (d = 5, lam = 0.01, step 1e-3)",
            series: ExperimentFigures.trajectories(runs, label: "GD on R_inf"), budget: 3000,
            caption: "Alignment with u_1 of gradient descent on the infinite-prompt softmax risk, one curve per run (mu0 on the unit sphere).")
        return trajectoryResult(id: "fig3b", figures: [figure], groups: [(summary, runs)])
    }

    /// Fig. 3a: SGD on batches of finite prompts (L = 100).
    static let fig3a = PaperExperiment(
        id: "fig3a", title: "Softmax attention, finite prompts: SGD, L = 100",
        parameters: "d = 5, L = 100, batch 256 fresh prompts per step, lam = 0.1, learning rate 1e-4, 3000 steps, "
            + "mu0 = 0.1 N(0, I) (per run); S = A A^T + 0.1 I drawn once. No closed-form optimum at finite L (docs/MATHEMATICS.md §5).",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig3a")
        let root = RandomStream(seed: options.seed).child("fig3a")
        let covariance = try paperCovariance(root, dimension: 5)
        let (summary, runs) = try softmaxFiniteRuns(covariance, root: root, options: options, label: "SGD, L = 100")
        let figure = ExperimentFigures.trajectoryFigure(
            id: "fig3a", title: "Fig. 3a: SGD on finite prompts (d = 5, L = 100, lam = 0.1, lr 1e-4)",
            series: ExperimentFigures.trajectories(runs, label: "SGD, L = 100"), budget: 3000,
            caption: "Alignment with u_1 of SGD (256 fresh prompts of 100 tokens per step), one curve per run (mu0 = 0.1 N(0, I)).")
        return trajectoryResult(id: "fig3a", figures: [figure], groups: [(summary, runs)])
    }

    /// Fig. 1: Fig. 3b and Fig. 3a on one covariance, overlaid.
    static let fig1 = PaperExperiment(
        id: "fig1", title: "Softmax attention: GD on R_inf and SGD at L = 100 on one S",
        parameters: "As fig3b (GD: lam = 0.01, step 1e-3, 3000 steps, mu0 on the unit sphere) and fig3a (SGD: L = 100, batch 256, "
            + "lam = 0.1, lr 1e-4, 3000 steps, mu0 = 0.1 N(0, I)), both on one S = A A^T + 0.1 I, d = 5.",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig1")
        let root = RandomStream(seed: options.seed).child("fig1")
        let covariance = try paperCovariance(root, dimension: 5)
        let (gdSummary, gd) = try softmaxInfiniteRuns(covariance, root: root, options: options, label: "GD on R_inf", prefix: "GD ")
        let (sgdSummary, sgd) = try softmaxFiniteRuns(covariance, root: root, options: options, label: "SGD, L = 100", prefix: "SGD ")
        let figure = ExperimentFigures.trajectoryFigure(
            id: "fig1", title: "Fig. 1: GD on R_inf and SGD at L = 100, one S (d = 5)",
            series: ExperimentFigures.trajectories(gd, label: "GD on R_inf (infinite L), lam = 0.01, step 1e-3")
                + ExperimentFigures.trajectories(sgd, label: "SGD, L = 100, lam = 0.1, lr 1e-4"),
            budget: 3000, caption: "Alignment with u_1: gradient descent on the infinite-prompt risk (lam = 0.01, step 1e-3) and SGD "
                + "on 256 prompts of 100 tokens per step (lam = 0.1, lr 1e-4), one curve per run.")
        return trajectoryResult(id: "fig1", figures: [figure], groups: [(gdSummary, gd), (sgdSummary, sgd)])
    }

    /// Final alignment of SGD against the prompt length L.
    static let softmaxVersusLength = PaperExperiment(
        id: "softmax-vs-L", title: "Softmax attention: final alignment of SGD against the prompt length",
        parameters: "d = 5, batch 256, lam = 0.1, lr 1e-4, 5000 steps, L = 20 values from 3 to 50 (linspace(3, 50, 20) truncated: "
            + "\(promptLengthGrid.map(String.init).joined(separator: ", "))); mu0 = 0.1 N(0, I) (not stated; chosen as in fig3a, "
            + "docs/MATHEMATICS.md §9.1); S = A A^T + 0.1 I drawn once.",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "softmax-vs-L")
        let root = RandomStream(seed: options.seed).child("softmax-vs-L")
        let covariance = try paperCovariance(root, dimension: 5)
        let lengths = thinned(promptLengthGrid, stride: options.sweepStride)
        let runs = try sweep(lengths, options: options) { length, r, context in
            try gaussianSGDRun(.softmax, covariance: covariance, lam: 0.1, length: length, learningRate: 1e-4, budget: 5000,
                               startScale: 0.1, stream: root.child(r).child(length), optimum: nil, label: "run \(r + 1)", context: context)
        }
        return sweepResult(id: "softmax-vs-L", title: "Softmax SGD: final alignment against L (d = 5, lam = 0.1, lr 1e-4, 5000 steps)",
                           xLabel: "L (prompt length)", x: lengths.map(Double.init), pointLabels: lengths.map { "L = \($0)" }, runs: runs,
                           summary: VerdictSummary(method: .stochastic, name: "SGD, softmax", budget: 5000, optimum: nil),
                           caption: "Alignment with u_1 after 5000 SGD steps of 256 fresh prompts, against the prompt length.")
    }

    /// Fig. 6a: gradient descent on R_inf against the dimension, with lam and the step scaled.
    static let fig6a = PaperExperiment(
        id: "fig6a", title: "Softmax attention, infinite prompt: final alignment against d",
        parameters: "lam = 0.1/d, step 0.5/d^2, 5000 steps, d = 3, 8, ..., 98; mu0 uniform on the unit sphere (not stated; "
            + "chosen as in fig3b, docs/MATHEMATICS.md §9.1); one S = A A^T + 0.1 I per d.",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig6a")
        let root = RandomStream(seed: options.seed).child("fig6a")
        let dimensions = thinned(fivesGrid, stride: options.sweepStride)
        let risks = try dimensions.map { d in
            try InfinitePromptSoftmaxRisk(covariance: try paperCovariance(root, dimension: d, index: d), lam: 0.1 / Double(d))
        }
        let runs = try sweep(Array(risks.indices), options: options) { i, r, context in
            let d = dimensions[i]
            return try gradientDescentRun(risks[i], target: risks[i].covariance.topEigenvector, step: 0.5 / Double(d * d), budget: 5000,
                                          stream: root.child(r).child(d), label: "run \(r + 1)", context: context)
        }
        return sweepResult(id: "fig6a", title: "Fig. 6a: GD on R_inf against d (lam = 0.1/d, step 0.5/d^2, 5000 steps)",
                           xLabel: "d (dimension)", x: dimensions.map(Double.init), pointLabels: dimensions.map { "d = \($0)" }, runs: runs,
                           summary: VerdictSummary(method: .gradientDescent, name: "GD on R_inf", budget: 5000, optimum: "u_1 / sqrt(lam s_1)"),
                           caption: "Alignment with u_1 after 5000 gradient-descent steps, one S per d.")
    }

    /// Gradient descent on R_inf (lam = 0.01, step 1e-3, 3000 steps) for every run.
    static func softmaxInfiniteRuns(_ covariance: Covariance, root: RandomStream, options: ExperimentOptions, label: String,
                                    prefix: String = "") throws -> (VerdictSummary, [AuditedRun]) {
        let risk = try InfinitePromptSoftmaxRisk(covariance: covariance, lam: 0.01)
        let runs = try sweep([0], options: options) { _, r, context in
            try gradientDescentRun(risk, target: covariance.topEigenvector, step: 1e-3, budget: 3000,
                                   stream: root.child(r).child("GD"), label: "\(prefix)run \(r + 1)", context: context)
        }[0]
        return (VerdictSummary(method: .gradientDescent, name: label, budget: 3000, optimum: "u_1 / sqrt(lam s_1)"), runs)
    }

    /// SGD at L = 100 (lam = 0.1, lr 1e-4, 3000 steps, mu0 = 0.1 N(0, I)) for every run; a
    /// continuation of up to one more budget searches the steps needed by runs that stop early.
    static func softmaxFiniteRuns(_ covariance: Covariance, root: RandomStream, options: ExperimentOptions, label: String,
                                  prefix: String = "") throws -> (VerdictSummary, [AuditedRun]) {
        let runs = try sweep([0], options: options) { _, r, context in
            try gaussianSGDRun(.softmax, covariance: covariance, lam: 0.1, length: 100, learningRate: 1e-4, budget: 3000, startScale: 0.1,
                               stream: root.child(r).child("SGD"), optimum: nil, extraSteps: 3000,
                               label: "\(prefix)run \(r + 1)", context: context)
        }[0]
        var summary = VerdictSummary(method: .stochastic, name: label, budget: 3000, optimum: nil)
        summary.sgdExtraSteps = 3000
        return (summary, runs)
    }
}
