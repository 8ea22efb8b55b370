import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// The in-context experiments (spiked Wishart covariances): Fig. 7b (GD on R_ICL), Fig. 7a
/// (SGD on finite prompts), Fig. 2 (both), final alignment against L, Fig. 8b (R_ICL against d).
extension PaperExperiments {
    /// The spike v of a figure, uniform on the unit sphere, from `root.child("spike")`
    /// (further split by `index` for one spike per sweep point).
    static func spike(_ root: RandomStream, dimension: Int, index: Int? = nil) -> [Double] {
        var stream = root.child("spike")
        if let index { stream = stream.child(index) }
        return stream.unitVector(dimension: dimension)
    }

    /// Fig. 7b: gradient descent on R_ICL with a weak spike (theta = 0.1).
    static let fig7b = PaperExperiment(
        id: "fig7b", title: "In-context PCA, infinite prompt: gradient descent on R_ICL (weak spike)",
        parameters: "d = 5, n = 10, xi = 1, theta = 0.1, lam = 1e-3, step 5e-3, 10001 steps; v uniform on the sphere (once); "
            + "mu0 uniform on the unit sphere per run (not stated; chosen as in fig3b, docs/MATHEMATICS.md §9.1).",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig7b")
        let root = RandomStream(seed: options.seed).child("fig7b")
        let (summary, runs) = try inContextGradientRuns(root: root, theta: 0.1, budget: 10001, options: options, prefix: "")
        let figure = ExperimentFigures.trajectoryFigure(
            id: "fig7b", title: "Fig. 7b: GD on R_ICL (d = 5, n = 10, xi = 1, theta = 0.1, lam = 1e-3, step 5e-3)",
            series: ExperimentFigures.trajectories(runs, label: "GD on R_ICL"), budget: 10001,
            caption: "Alignment with the spike v of gradient descent on the in-context risk, one curve per run.")
        return trajectoryResult(id: "fig7b", figures: [figure], groups: [(summary, runs)])
    }

    /// Fig. 7a: SGD on finite prompts, each step averaging over 100 fresh covariances x 100 prompts.
    static let fig7a = PaperExperiment(
        id: "fig7a", title: "In-context PCA, finite prompts: SGD, L = 100",
        parameters: "d = 5, n = 10, xi = 1, theta = 2, L = 100, lam = 1e-3, lr 5e-3, 1000 steps; each step averages over 100 fresh "
            + "covariances S ~ W_d(n, V) x 100 prompts; softmax layer; v uniform on the sphere (once); mu0 uniform on the unit sphere "
            + "per run (not stated, docs/MATHEMATICS.md §9.1). No closed-form optimum at finite L (§5.5).",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig7a")
        let root = RandomStream(seed: options.seed).child("fig7a")
        let (summary, runs) = try inContextSGDRuns(root: root, length: 100, options: options, prefix: "")
        let figure = ExperimentFigures.trajectoryFigure(
            id: "fig7a", title: "Fig. 7a: in-context SGD (d = 5, n = 10, theta = 2, L = 100, lam = 1e-3, lr 5e-3)",
            series: ExperimentFigures.trajectories(runs, label: "SGD, L = 100"), budget: 1000,
            caption: "Alignment with the spike v of SGD, each step on 100 fresh Wishart covariances x 100 prompts, one curve per run.")
        return trajectoryResult(id: "fig7a", figures: [figure], groups: [(summary, runs)])
    }

    /// Fig. 2: GD on R_ICL and SGD at L = 100 on the same spike (theta = 2), overlaid.
    static let fig2 = PaperExperiment(
        id: "fig2", title: "In-context PCA: GD on R_ICL and SGD at L = 100, one spike",
        parameters: "d = 5, n = 10, xi = 1, theta = 2, lam = 1e-3, step (and lr) 5e-3, 1000 steps, L = 100 (SGD: 100 covariances x "
            + "100 prompts per step: the very runs of fig7a, same v and seeds); one v for both; mu0 uniform on the unit sphere per run "
            + "(not stated, docs/MATHEMATICS.md §9.1).",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig2")
        // Fig. 2 overlays Fig. 7a's SGD runs (same spike, same streams, shared through the ledger)
        // with gradient descent on R_ICL for that spike.
        let root = RandomStream(seed: options.seed).child("fig7a")
        let (gdSummary, gd) = try inContextGradientRuns(root: root, theta: 2, budget: 1000, options: options, prefix: "GD ")
        let (sgdSummary, sgd) = try inContextSGDRuns(root: root, length: 100, options: options, prefix: "SGD ")
        let figure = ExperimentFigures.trajectoryFigure(
            id: "fig2", title: "Fig. 2: GD on R_ICL and SGD at L = 100 (d = 5, n = 10, theta = 2)",
            series: ExperimentFigures.trajectories(gd, label: "GD on R_ICL (infinite L), lam = 1e-3, step 5e-3")
                + ExperimentFigures.trajectories(sgd, label: "SGD, L = 100, lam = 1e-3, lr 5e-3"),
            budget: 1000, caption: "Alignment with the spike v: gradient descent on the in-context risk and SGD on finite prompts, "
                + "one curve per run.")
        return trajectoryResult(id: "fig2", figures: [figure], groups: [(gdSummary, gd), (sgdSummary, sgd)])
    }

    /// Final alignment of in-context SGD against the prompt length.
    static let inContextVersusLength = PaperExperiment(
        id: "icl-vs-L", title: "In-context PCA: final alignment of SGD against the prompt length",
        parameters: "As fig7a (d = 5, n = 10, xi = 1, theta = 2, lam = 1e-3, lr 5e-3, 1000 steps, 100 covariances x 100 prompts per "
            + "step), L = 3, 8, ..., 98; one v for the figure; mu0 uniform on the unit sphere per run (not stated, "
            + "docs/MATHEMATICS.md §9.1).",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "icl-vs-L")
        let root = RandomStream(seed: options.seed).child("icl-vs-L")
        let risk = try InContextRisk(spike: spike(root, dimension: 5), xi: 1, theta: 2, degreesOfFreedom: 10, lam: 1e-3)
        let lengths = thinned(fivesGrid, stride: options.sweepStride)
        let runs = try sweep(lengths, options: options) { length, r, context in
            try wishartSGDRun(risk, length: length, learningRate: 5e-3, budget: 1000, covariances: 100, promptsPerCovariance: 100,
                              stream: root.child(r).child(length), label: "run \(r + 1)", context: context)
        }
        return sweepResult(id: "icl-vs-L", title: "In-context SGD: final alignment against L (d = 5, n = 10, theta = 2, 1000 steps)",
                           xLabel: "L (prompt length)", x: lengths.map(Double.init), pointLabels: lengths.map { "L = \($0)" }, runs: runs,
                           summary: VerdictSummary(method: .stochastic, name: "SGD, in-context", budget: 1000, optimum: nil),
                           caption: "Alignment with the spike v after 1000 SGD steps of 100 covariances x 100 prompts, against L.")
    }

    /// Fig. 8b: gradient descent on R_ICL with n = d against the dimension.
    static let fig8b = PaperExperiment(
        id: "fig8b", title: "In-context PCA, infinite prompt: final alignment against d",
        parameters: "n = d, xi = 1, theta = 2, lam = 0.1/d, step 0.5/d^2, 2000 steps, d = 3, 8, ..., 98; one v per d; mu0 uniform on "
            + "the unit sphere per run (not stated, docs/MATHEMATICS.md §9.1).",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig8b")
        let root = RandomStream(seed: options.seed).child("fig8b")
        let dimensions = thinned(fivesGrid, stride: options.sweepStride)
        let risks = try dimensions.map { d in
            try InContextRisk(spike: spike(root, dimension: d, index: d), xi: 1, theta: 2, degreesOfFreedom: d, lam: 0.1 / Double(d))
        }
        let runs = try sweep(Array(risks.indices), options: options) { i, r, context in
            let d = dimensions[i]
            return try gradientDescentRun(risks[i], target: risks[i].spike, step: 0.5 / Double(d * d), budget: 2000,
                                          stream: root.child(r).child(d), label: "run \(r + 1)", context: context)
        }
        return sweepResult(id: "fig8b", title: "Fig. 8b: GD on R_ICL against d (n = d, theta = 2, lam = 0.1/d, step 0.5/d^2, 2000 steps)",
                           xLabel: "d (dimension)", x: dimensions.map(Double.init), pointLabels: dimensions.map { "d = \($0)" }, runs: runs,
                           summary: VerdictSummary(method: .gradientDescent, name: "GD on R_ICL", budget: 2000, optimum: "sqrt(alpha2) v"),
                           caption: "Alignment with the spike v after 2000 gradient-descent steps on the in-context risk, one v per d.")
    }

    /// Gradient descent on R_ICL (d = 5, n = 10, xi = 1, lam = 1e-3, step 5e-3) for every run.
    static func inContextGradientRuns(root: RandomStream, theta: Double, budget: Int, options: ExperimentOptions,
                                      prefix: String) throws -> (VerdictSummary, [AuditedRun]) {
        let risk = try InContextRisk(spike: spike(root, dimension: 5), xi: 1, theta: theta, degreesOfFreedom: 10, lam: 1e-3)
        let runs = try sweep([0], options: options) { _, r, context in
            try gradientDescentRun(risk, target: risk.spike, step: 5e-3, budget: budget, stream: root.child(r).child("GD"),
                                   label: "\(prefix)run \(r + 1)", context: context)
        }[0]
        return (VerdictSummary(method: .gradientDescent, name: "GD on R_ICL (theta = \(ExperimentFigures.format(theta)))", budget: budget,
                               optimum: "sqrt(alpha2) v"), runs)
    }

    /// The SGD of Fig. 7a (theta = 2, 1000 steps, 100 covariances x 100 prompts) for every run,
    /// drawn from Fig. 7a's streams; its units are keyed as Fig. 7a's SGD, so Fig. 2 reuses them.
    static func inContextSGDRuns(root: RandomStream, length: Int, options: ExperimentOptions,
                                 prefix: String) throws -> (VerdictSummary, [AuditedRun]) {
        let risk = try InContextRisk(spike: spike(root, dimension: 5), xi: 1, theta: 2, degreesOfFreedom: 10, lam: 1e-3)
        let runs = try sweep([0], options: options, sharedAs: "fig7a SGD L \(length)") { _, r, context in
            try wishartSGDRun(risk, length: length, learningRate: 5e-3, budget: 1000, covariances: 100, promptsPerCovariance: 100,
                              stream: root.child(r).child("SGD"), label: "run \(r + 1)", context: context)
        }[0].map { run in
            let v = run.verdict
            return AuditedRun(verdict: v.relabelled("\(prefix)\(v.label)"),
                              trajectory: run.trajectory, finalParameters: run.finalParameters, diagnosis: run.diagnosis)
        }
        return (VerdictSummary(method: .stochastic, name: "SGD, in-context, L = \(length)", budget: 1000, optimum: nil), runs)
    }
}
