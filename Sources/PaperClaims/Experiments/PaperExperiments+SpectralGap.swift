import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import Randomness

/// The experiment nobody published: how convergence depends on the spectral gap s_1 - s_2
/// (docs/MATHEMATICS.md §6.3, §9.5). On flat spectra with one controlled top gap g, gradient descent on
/// R_inf contracts every direction u_j (j >= 2) at the rate 2 lam step s_j g per step near the
/// minimiser, so the steps to converge grow like 1/g, and a fixed budget leaves small-gap
/// instances unconverged.
extension PaperExperiments {
    /// The gaps: log-spaced 10^-3, 10^-2.5, ..., 10^0 (7 values; the smallest needs up to about
    /// 2 x 10^5 steps, within the continuation cap of 100 x the 5000-step budget).
    static let gapGrid: [Double] = (0..<7).map { pow(10, -3 + 0.5 * Double($0)) }
    /// The gap experiment's step: 0.32 x the stable bound 2 / (8 lam s_1^2) at the largest gap
    /// (s_1 = 2, lam = 1), and a larger fraction of it at smaller gaps.
    static let gapStep = 0.02
    /// The gap experiment's budget, of the order of the published ones.
    static let gapBudget = 5000

    /// Final alignment and steps to converge against the spectral gap.
    static let spectralGap = PaperExperiment(
        id: "gap", title: "Convergence against the spectral gap s_1 - s_2 (gradient descent on R_inf)",
        parameters: "d = 5, S = Q diag(1 + g, 1, 1, 1, 1) Q^T with Q Haar-random (one per gap), g = 10^-3, 10^-2.5, ..., 1; lam = 1 "
            + "(lam is a reparametrisation of mu, docs/MATHEMATICS.md §2.4), step 0.02, budget 5000 steps, mu0 uniform on the unit "
            + "sphere per run. Not in the paper.",
        publishedRuns: 10
    ) { options in
        try validate(options, id: "gap")
        let root = RandomStream(seed: options.seed).child("gap")
        let gaps = thinned(gapGrid, stride: options.sweepStride)
        let indices = gaps.map { gapGrid.firstIndex(of: $0)! }
        let risks = try indices.map { i in
            var stream = root.child("covariance").child(i)
            return try InfinitePromptSoftmaxRisk(covariance: try Covariance.random(.flat(topGap: gapGrid[i]), dimension: 5, using: &stream), lam: 1)
        }
        let runs = try sweep(Array(gaps.indices), options: options) { p, r, context in
            try gradientDescentRun(risks[p], target: risks[p].covariance.topEigenvector, step: gapStep, budget: gapBudget,
                                   stream: root.child(r).child(indices[p]), label: "run \(r + 1)", context: context)
        }
        let x = gaps
        let pointLabels = gaps.map { "g = \(ExperimentFigures.format($0))" }
        let final = ExperimentFigures.summary(ExperimentFigures.bandLabel("GD on R_inf", runs: options.runs), x: x, pointLabels: pointLabels,
                                              runs: runs, quantity: .finalValue, value: { $1.verdict.finalAlignment })
        let alignment = FigureData(
            id: "gap", title: "Final alignment after 5000 GD steps against the spectral gap (d = 5, flat spectrum)",
            xLabel: "spectral gap s_1 - s_2", yLabel: "final alignment", logX: true,
            series: [final.series, ExperimentFigures.reference("alignment 1", value: 1, from: x.first!, to: x.last!)].compactMap { $0 },
            caption: "Alignment with u_1 after the fixed budget of 5000 steps (step 0.02, lam = 1): below a gap of about "
                + "1e-2 the budget stops before convergence. Bold: mean over runs; band: min to max.",
            yBounds: .unitInterval, sweepSymbol: "gap", marks: final.marks.isEmpty ? nil : final.marks)
        // Near the minimiser the error along u_j shrinks by (1 - 2 lam step s_j g) per step (s_j = 1),
        // so reaching a relative distance delta from an O(1) start takes about ln(1/delta) / (2 lam step g).
        let predicted = log(1 / BudgetAudit.relativeDistanceTolerance) / (2 * gapStep)
        let needed = ExperimentFigures.summary(ExperimentFigures.bandLabel("gap x steps needed", runs: options.runs), x: x,
                                               pointLabels: pointLabels, runs: runs, quantity: .stepsNeeded,
                                               value: { p, run in run.verdict.stepsNeeded.map { gaps[p] * Double($0) } })
        let law = FigureData(
            id: "gap-steps", title: "Gap x steps to converge against the gap: the 1/gap law",
            xLabel: "spectral gap s_1 - s_2", yLabel: "gap x steps to converge", logX: true,
            series: [needed.series,
                     ExperimentFigures.reference("linear-rate prediction ln(1/delta) / (2 lam step)", value: predicted,
                                                 from: x.first!, to: x.last!)].compactMap { $0 },
            caption: "Steps gradient descent needs to come within relative distance 1e-2 of u_1 / sqrt(lam s_1), multiplied by the gap: "
                + "flat where steps ~ 1/gap. Reference: ln(100) / (2 lam step) = \(ExperimentFigures.format(predicted)), the local "
                + "linear rate from an O(1) misalignment; at large gaps the initial growth phase and the u_1 direction dominate. "
                + "Bold: mean over runs; band: min to max.",
            yBounds: .nonNegative, sweepSymbol: "gap", marks: needed.marks.isEmpty ? nil : needed.marks)
        let perGap = zip(gaps, runs).map { g, group in
            let steps = group.compactMap(\.verdict.stepsNeeded)
            return "g = \(ExperimentFigures.format(g)): \(steps.isEmpty ? "n/a" : String(steps.max()!))"
        }.joined(separator: ", ")
        let result = sweepResult(id: "gap", title: alignment.title, xLabel: "g (gap)", x: gaps,
                                 pointLabels: pointLabels, runs: runs,
                                 summary: VerdictSummary(method: .gradientDescent, name: "GD on R_inf, flat spectrum", budget: gapBudget,
                                                         optimum: "u_1 / sqrt(lam s_1)"),
                                 caption: "", logX: true, extraFigures: [law])
        // The alignment figure built here carries the reference line and the gap-specific caption.
        return ExperimentResult(id: "gap", figures: [alignment, law], runs: result.runs,
                                summary: result.summary + " Most steps needed per gap: \(perGap).")
    }
}
