import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// The linear-attention experiments: Fig. 4b (GD on R_lin,L), Fig. 4a (SGD), final alignment
/// against L, and Fig. 6b (R_lin,L with L = d against d).
extension PaperExperiments {
    /// Fig. 4b: gradient descent on the closed-form R_lin,L at L = 6.
    static let fig4b = PaperExperiment(
        id: "fig4b", title: "Linear attention: gradient descent on the closed-form R_lin,L (L = 6)",
        parameters: "d = 5, L = 6, lam = 0.01, step 1e-4, 5000 steps, mu0 = 0.01 N(0, I) (per run); S = A A^T + 0.1 I drawn once.",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig4b")
        let root = RandomStream(seed: options.seed).child("fig4b")
        let covariance = try paperCovariance(root, dimension: 5)
        let risk = try LinearAttentionRisk(covariance: covariance, lam: 0.01, promptLength: 6)
        let runs = try sweep([0], options: options) { _, r, context in
            try gradientDescentRun(risk, target: covariance.topEigenvector, step: 1e-4, budget: 5000, stream: root.child(r),
                                   start: gaussianStart(root.child(r), dimension: 5, scale: 0.01), label: "run \(r + 1)", context: context)
        }[0]
        let figure = ExperimentFigures.trajectoryFigure(
            id: "fig4b", title: "Fig. 4b: GD on R_lin,L (d = 5, L = 6, lam = 0.01, step 1e-4)",
            series: ExperimentFigures.trajectories(runs, label: "GD on R_lin,L=6"), budget: 5000,
            caption: "Alignment with u_1 of gradient descent on the exact linear-attention risk, one curve per run (mu0 = 0.01 N(0, I)).")
        let summary = VerdictSummary(method: .gradientDescent, name: "GD on R_lin,L=6", budget: 5000, optimum: "sqrt(s_1*) u_1")
        return trajectoryResult(id: "fig4b", figures: [figure], groups: [(summary, runs)])
    }

    /// Fig. 4a: SGD of linear attention on batches of prompts of 6 tokens.
    static let fig4a = PaperExperiment(
        id: "fig4a", title: "Linear attention, finite prompts: SGD, L = 6",
        parameters: "d = 5, L = 6, batch 256 fresh prompts per step, lam = 0.01, lr 1e-4, 5000 steps, mu0 = 0.01 N(0, I) (per run); "
            + "S = A A^T + 0.1 I drawn once. Distances refer to the population minimiser sqrt(s_1*) u_1 of R_lin,L.",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig4a")
        let root = RandomStream(seed: options.seed).child("fig4a")
        let covariance = try paperCovariance(root, dimension: 5)
        let optimum = linearOptimum(try LinearAttentionRisk(covariance: covariance, lam: 0.01, promptLength: 6))
        let runs = try sweep([0], options: options) { _, r, context in
            try gaussianSGDRun(.linear, covariance: covariance, lam: 0.01, length: 6, learningRate: 1e-4, budget: 5000, startScale: 0.01,
                               stream: root.child(r), optimum: optimum, extraSteps: 5000, label: "run \(r + 1)", context: context)
        }[0]
        let figure = ExperimentFigures.trajectoryFigure(
            id: "fig4a", title: "Fig. 4a: linear-attention SGD (d = 5, L = 6, lam = 0.01, lr 1e-4)",
            series: ExperimentFigures.trajectories(runs, label: "SGD, L = 6"), budget: 5000,
            caption: "Alignment with u_1 of SGD on 256 fresh prompts of 6 tokens per step, one curve per run (mu0 = 0.01 N(0, I)).")
        var summary = VerdictSummary(method: .stochastic, name: "SGD, linear, L = 6", budget: 5000, optimum: "sqrt(s_1*) u_1")
        summary.sgdExtraSteps = 5000
        return trajectoryResult(id: "fig4a", figures: [figure], groups: [(summary, runs)])
    }

    /// Final alignment of linear-attention SGD against the prompt length L.
    static let linearVersusLength = PaperExperiment(
        id: "linear-vs-L", title: "Linear attention: final alignment of SGD against the prompt length",
        parameters: "d = 5, batch 256, lam = 0.001, lr 1e-4, 5000 steps, mu0 = 0.01 N(0, I), L = 20 values from 3 to 50 "
            + "(linspace(3, 50, 20) truncated: \(promptLengthGrid.map(String.init).joined(separator: ", "))); S = A A^T + 0.1 I drawn once. "
            + "Distances refer to the population minimiser sqrt(s_1*) u_1 of R_lin,L at each L.",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "linear-vs-L")
        let root = RandomStream(seed: options.seed).child("linear-vs-L")
        let covariance = try paperCovariance(root, dimension: 5)
        let lengths = thinned(promptLengthGrid, stride: options.sweepStride)
        let runs = try sweep(lengths, options: options) { length, r, context in
            let optimum = linearOptimum(try LinearAttentionRisk(covariance: covariance, lam: 0.001, promptLength: length))
            return try gaussianSGDRun(.linear, covariance: covariance, lam: 0.001, length: length, learningRate: 1e-4, budget: 5000,
                                      startScale: 0.01, stream: root.child(r).child(length), optimum: optimum,
                                      label: "run \(r + 1)", context: context)
        }
        return sweepResult(id: "linear-vs-L", title: "Linear SGD: final alignment against L (d = 5, lam = 0.001, lr 1e-4, 5000 steps)",
                           xLabel: "L (prompt length)", x: lengths.map(Double.init), pointLabels: lengths.map { "L = \($0)" }, runs: runs,
                           summary: VerdictSummary(method: .stochastic, name: "SGD, linear", budget: 5000, optimum: "sqrt(s_1*) u_1"),
                           caption: "Alignment with u_1 after 5000 SGD steps of 256 fresh prompts, against the prompt length.")
    }

    /// Fig. 6b: gradient descent on R_lin,L with L = d against the dimension.
    static let fig6b = PaperExperiment(
        id: "fig6b", title: "Linear attention, closed form: final alignment against d",
        parameters: "L = d, lam = 0.01/d, step 1/d^2, 5000 steps, d = 3, 8, ..., 98; mu0 = 0.01 N(0, I) (not stated; chosen as "
            + "in fig4b, docs/MATHEMATICS.md §9.1); one S = A A^T + 0.1 I per d.",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "fig6b")
        let root = RandomStream(seed: options.seed).child("fig6b")
        let dimensions = thinned(fivesGrid, stride: options.sweepStride)
        let risks = try dimensions.map { d in
            try LinearAttentionRisk(covariance: try paperCovariance(root, dimension: d, index: d), lam: 0.01 / Double(d), promptLength: d)
        }
        let runs = try sweep(Array(risks.indices), options: options) { i, r, context in
            let d = dimensions[i]
            return try gradientDescentRun(risks[i], target: risks[i].covariance.topEigenvector, step: 1 / Double(d * d), budget: 5000,
                                          stream: root.child(r).child(d), start: gaussianStart(root.child(r).child(d), dimension: d, scale: 0.01),
                                          label: "run \(r + 1)", context: context)
        }
        return sweepResult(id: "fig6b", title: "Fig. 6b: GD on R_lin,L=d against d (lam = 0.01/d, step 1/d^2, 5000 steps)",
                           xLabel: "d (dimension)", x: dimensions.map(Double.init), pointLabels: dimensions.map { "d = \($0)" }, runs: runs,
                           summary: VerdictSummary(method: .gradientDescent, name: "GD on R_lin,L=d", budget: 5000, optimum: "sqrt(s_1*) u_1"),
                           caption: "Alignment with u_1 after 5000 gradient-descent steps on the exact linear-attention risk, one S per d.")
    }
}
