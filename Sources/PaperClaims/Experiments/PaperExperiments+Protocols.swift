import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// The training protocols the experiments share: full-gradient descent on a closed-form risk,
/// and SGD on fresh Gaussian or Wishart prompts, each audited against its budget.
extension PaperExperiments {
    /// The paper's batch of 256 prompts, split in 8 units of 32 (the unit is only the grain of
    /// parallel work; the result does not depend on the worker count).
    static let promptsPerUnit = 32
    /// Units per SGD step: 8 x 32 = 256 prompts.
    static let unitsPerStep = 8

    /// Gradient descent on `risk` from a start on the unit sphere drawn from `stream`.
    static func gradientDescentRun(_ risk: some DifferentiableRisk, target: [Double], step: Double, budget: Int, stream: RandomStream,
                                   start: [Double]? = nil, label: String, context: RunContext) throws -> AuditedRun {
        try BudgetAudit.gradientDescent(risk, stepSize: step, budget: budget,
                                        from: start ?? sphereStart(stream, dimension: risk.dimension), alignmentTarget: target,
                                        recordEvery: ExperimentFigures.recordEvery(budget: budget), label: label,
                                        shouldStop: context.shouldStop)
    }

    /// SGD of a `kind` layer on batches of 256 fresh N(0, S) prompts of `length` tokens, from
    /// mu0 = `startScale` x N(0, I); `optimum` is the population minimiser where known.
    static func gaussianSGDRun(
        _ kind: AttentionLayer.Kind, covariance: Covariance, lam: Double, length: Int, learningRate: Double, budget: Int,
        startScale: Double, stream: RandomStream, optimum: [Double]?, extraSteps: Int = 0, label: String, context: RunContext
    ) throws -> AuditedRun {
        let layer = try AttentionLayer(kind: kind, lam: lam)
        let source = GaussianPromptSource(covariance: covariance, promptsPerUnit: promptsPerUnit)
        return try BudgetAudit.stochasticGradientDescent(
            layer, on: source, promptLength: length, learningRate: learningRate, budget: budget, unitsPerStep: unitsPerStep,
            workers: context.workers, from: gaussianStart(stream, dimension: covariance.dimension, scale: startScale),
            stream: stream.child("prompts"), alignmentTarget: covariance.topEigenvector, optimum: optimum,
            recordEvery: ExperimentFigures.recordEvery(budget: budget), extraSteps: extraSteps, label: label,
            shouldStop: context.shouldStop)
    }

    /// The in-context SGD of Fig. 7a: a softmax layer, each step averaging over
    /// `covariances` fresh S ~ W_d(n, V) with `promptsPerCovariance` prompts of `length` tokens
    /// each, from a start on the unit sphere (no mu0 is stated for the in-context figures, docs/MATHEMATICS.md §9.1).
    static func wishartSGDRun(
        _ risk: InContextRisk, length: Int, learningRate: Double, budget: Int, covariances: Int, promptsPerCovariance: Int,
        stream: RandomStream, label: String, context: RunContext
    ) throws -> AuditedRun {
        let layer = try AttentionLayer(kind: .softmax, lam: risk.lam)
        let source = WishartPromptSource(scale: risk.scale, degreesOfFreedom: risk.degreesOfFreedom, promptsPerCovariance: promptsPerCovariance)
        return try BudgetAudit.stochasticGradientDescent(
            layer, on: source, promptLength: length, learningRate: learningRate, budget: budget, unitsPerStep: covariances,
            workers: context.workers, from: sphereStart(stream, dimension: risk.dimension), stream: stream.child("prompts"),
            alignmentTarget: risk.spike, optimum: nil, recordEvery: ExperimentFigures.recordEvery(budget: budget), label: label,
            shouldStop: context.shouldStop)
    }

    /// The linear-attention population minimiser sqrt(s_1*) u_1 (docs/MATHEMATICS.md §4.3).
    static func linearOptimum(_ risk: LinearAttentionRisk) -> [Double] {
        risk.covariance.topEigenvector.scaled(by: risk.criticalSquaredNorm(direction: 0).squareRoot())
    }

    /// Builds a trajectory experiment's result: one figure, its verdicts labelled "<prefix>run r".
    static func trajectoryResult(id: String, figures: [FigureData], groups: [(VerdictSummary, [AuditedRun])]) -> ExperimentResult {
        let runs = groups.flatMap { $0.1.map(\.verdict) }
        let summary = groups.map { $0.0.text([VerdictSummary.Group(label: nil, runs: $0.1)]) }.joined(separator: " ")
        return ExperimentResult(id: id, figures: figures, runs: runs, summary: summary)
    }

    /// Builds a sweep experiment's result: final alignment (and, for gradient descent, steps
    /// needed, unless `extraFigures` replace that figure) against the swept value `x`, with one
    /// verdict per point and run labelled "<point label>, run r".
    static func sweepResult(
        id: String, title: String, xLabel: String, x: [Double], pointLabels: [String], runs: [[AuditedRun]], summary: VerdictSummary,
        caption: String, logX: Bool = false, extraFigures: [FigureData] = []
    ) -> ExperimentResult {
        let figures = ExperimentFigures.sweepFigures(id: id, title: title, xLabel: xLabel, x: x, pointLabels: pointLabels, runs: runs,
                                                     summary: summary, caption: caption, logX: logX, extraFigures: extraFigures)
        let groups = zip(pointLabels, runs).map { VerdictSummary.Group(label: $0, runs: $1) }
        let verdicts = zip(pointLabels, runs).flatMap { label, group in
            group.map { run in
                let v = run.verdict
                return v.relabelled("\(label), \(v.label)")
            }
        }
        return ExperimentResult(id: id, figures: figures, runs: verdicts, summary: summary.text(groups))
    }
}
