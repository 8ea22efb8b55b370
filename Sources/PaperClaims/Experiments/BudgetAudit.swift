import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// Runs one optimiser at a published step budget and judges whether that budget reached
/// convergence (docs/MATHEMATICS.md §7.5, §10: "did not converge yet" must be told apart from "converged to
/// the wrong point").
///
/// - Gradient descent: the optimum of every closed-form risk is known (its `minimiser`), so a
///   run has `converged` when its final iterate lies within relative distance
///   `relativeDistanceTolerance` of the nearer of +-mu*. `stepsNeeded` is the first step at which
///   the *same* iteration (mu <- mu - step * grad R(mu), started from the same point) gets there,
///   searched up to `continuationFactor` x the budget (nil if that cap is hit).
/// - SGD never reaches a point: a run has `converged` when the trainer's window criterion
///   (`sgdWindow`, `sgdRelativeTolerance`) is met within the budget; the run then goes on to the
///   end of the budget as the paper's does, on fresh prompts, so the figure shows the published
///   protocol.
public enum BudgetAudit {
    /// Relative distance |mu - mu*| / |mu*| below which a gradient-descent iterate counts as
    /// converged. 1e-2 is the precision a figure can show (an alignment within 5e-5 of 1, a norm
    /// within 1%); stricter values only lengthen the tail of a linearly converging run by
    /// ln(10) / rate steps per digit, which `stepsNeeded` would report for any tolerance.
    public static let relativeDistanceTolerance = 1e-2
    /// The cap on the continued gradient-descent search for `stepsNeeded`, as a multiple of the
    /// published budget: a run that needs more than 100 x its budget is reported as such (nil).
    public static let continuationFactor = 100
    /// Steps per SGD convergence window (also the trainer's Polyak-averaging window): 100 steps
    /// is 1-10% of the published budgets (1000-5000 steps), so a budget holds 10-50 windows.
    public static let sgdWindow = 100
    /// SGD counts as converged when two consecutive window means of mu differ by at most this
    /// fraction of |mean|: the deterministic drift per 100 steps is then below 0.1% of |mu|,
    /// the same order as the gradient-descent criterion's 1% distance for runs whose per-window
    /// contraction is of order 10%.
    public static let sgdRelativeTolerance = 1e-3

    /// Thrown when a run's `shouldStop` asked it to stop (SIGINT or SIGTERM): an interrupted run
    /// has no verdict, so it is never audited.
    public struct Stopped: Error, CustomStringConvertible {
        public var description: String { "the run was asked to stop before it finished" }
    }

    /// The relative distance from `mu` to the nearer of +-`optimum` (|mu -+ mu*| / |mu*|).
    public static func relativeDistance(_ mu: [Double], to optimum: [Double]) -> Double {
        let plus = mu.subtracting(optimum).norm, minus = mu.adding(optimum).norm
        return min(plus, minus) / optimum.norm
    }

    /// Gradient descent on `risk` from `start` with the published `stepSize` and `budget`,
    /// recorded every `recordEvery` steps with alignment measured against `target`, and judged
    /// against the risk's minimiser. Pass `continuationFactor: 0` to skip the `stepsNeeded`
    /// search beyond the budget. `shouldStop`, asked before every step of the run and of the
    /// search, ends it by throwing `Stopped`.
    public static func gradientDescent(
        _ risk: some DifferentiableRisk, stepSize: Double, budget: Int, from start: [Double], alignmentTarget target: [Double],
        recordEvery: Int, continuationFactor: Int = continuationFactor, label: String, shouldStop: (@Sendable () -> Bool)? = nil
    ) throws -> AuditedRun {
        var descent = try GradientDescent(stepSize: stepSize, maximumSteps: budget, gradientTolerance: 0, recordEvery: recordEvery)
        descent.shouldStop = shouldStop
        let result = descent.minimise(risk, from: start, alignmentTarget: target)
        if result.stop == .stopped { throw Stopped() }
        let optimum = risk.minimiser
        let mu = result.parameters
        let alignment = mu.alignment(with: target)
        guard result.stop != .diverged else {
            let verdict = ExperimentResult.RunVerdict(label: label, outcome: .diverged, finalAlignment: alignment, relativeDistance: nil,
                                                      stepsTaken: result.steps, stepsNeeded: nil, diagnosis: .diverged)
            return AuditedRun(verdict: verdict, trajectory: result.trajectory.map { AuditedRun.Point($0) }, finalParameters: mu, diagnosis: .diverged)
        }
        let distance = relativeDistance(mu, to: optimum)
        // A run outside the tolerance at the end of its budget needs more than the budget, even
        // if it passed through the tolerance ball earlier (as an oscillating run can).
        let needed = try firstStepWithinTolerance(risk, optimum: optimum, stepSize: stepSize, from: start,
                                                  notBefore: distance <= relativeDistanceTolerance ? 0 : budget + 1,
                                                  cap: max(budget, budget * continuationFactor), shouldStop: shouldStop)
        let diagnosis: AuditedRun.Diagnosis
        if distance <= relativeDistanceTolerance {
            diagnosis = .converged
        } else if stepSize * risk.curvatureAtMinimum >= 2 {
            diagnosis = .unstableStep
        } else if isNearWrongCriticalPoint(mu, of: risk) {
            diagnosis = .wrongCriticalPoint
        } else {
            diagnosis = .notConvergedYet
        }
        let minimum = risk.value(at: optimum)
        let drop = risk.value(at: [Double](repeating: 0, count: mu.count)) - minimum
        let verdict = ExperimentResult.RunVerdict(
            label: label, outcome: distance <= relativeDistanceTolerance ? .converged : .stoppedEarly, finalAlignment: alignment,
            relativeDistance: distance, stepsTaken: result.steps, stepsNeeded: needed, normRatio: mu.norm / optimum.norm,
            excessRisk: drop > 0 ? (risk.value(at: mu) - minimum) / drop : nil, diagnosis: diagnosis)
        return AuditedRun(verdict: verdict, trajectory: result.trajectory.map { AuditedRun.Point($0) }, finalParameters: mu,
                          diagnosis: diagnosis)
    }

    /// The first step, from step `notBefore` on, at which mu <- mu - step * grad R(mu) from `start`
    /// is within the tolerance of +-`optimum`, or nil if not within `cap` steps (or if the
    /// iteration overflows). The
    /// update is written exactly as `GradientDescent` writes it, so the first `budget` iterates
    /// are bit-identical to the published run's. Throws `Stopped` when `shouldStop` says so.
    static func firstStepWithinTolerance(_ risk: some DifferentiableRisk, optimum: [Double], stepSize: Double,
                                         from start: [Double], notBefore: Int, cap: Int,
                                         shouldStop: (@Sendable () -> Bool)? = nil) throws(Stopped) -> Int? {
        var mu = start
        for step in 0...cap {
            if step >= notBefore, relativeDistance(mu, to: optimum) <= relativeDistanceTolerance { return step }
            guard step < cap else { break }
            if shouldStop?() == true { throw Stopped() }
            let gradient = risk.gradient(at: mu)
            for j in mu.indices { mu[j] -= stepSize * gradient[j] }
            guard mu.isFinite else { return nil }
        }
        return nil
    }

    /// Whether `mu` is within the convergence tolerance of a critical point other than the
    /// minimiser: the origin (relative to |mu*|) or one of the saddles +-c.
    static func isNearWrongCriticalPoint(_ mu: [Double], of risk: some DifferentiableRisk) -> Bool {
        let scale = risk.minimiser.norm
        for point in risk.criticalPoints.dropFirst(2) where relativeDistance(mu, to: point.point) <= relativeDistanceTolerance {
            return true
        }
        return mu.norm <= relativeDistanceTolerance * scale
    }

    /// SGD as the paper runs it: `budget` steps of `learningRate` on fresh batches of
    /// `unitsPerStep` x `source.promptsPerUnit` prompts of `promptLength` tokens, from `start`,
    /// with step t drawing from `stream`. The window criterion is watched during the budget; if
    /// it is met at step t, steps t+1...budget continue on prompts from `stream.child("after
    /// convergence")` (SGD is memoryless, so this is the same protocol). If it is not met and
    /// `extraSteps` > 0, a continuation (on `stream.child("continuation")`) of up to `extraSteps`
    /// steps looks for it; its window starts afresh, so `stepsNeeded` may overstate by up to one
    /// window. `optimum`, when the population minimiser is known, gives `relativeDistance`.
    public static func stochasticGradientDescent(
        _ layer: AttentionLayer, on source: some PromptSource, promptLength: Int, learningRate: Double, budget: Int,
        unitsPerStep: Int, workers: Int, from start: [Double], stream: RandomStream, alignmentTarget target: [Double],
        optimum: [Double]?, recordEvery: Int, extraSteps: Int = 0, label: String, shouldStop: (@Sendable () -> Bool)? = nil
    ) throws -> AuditedRun {
        // Every trainer of the protocol asks `shouldStop` before each step; a stopped one ends the audit.
        func trainer(_ maximumSteps: Int, relativeTolerance: Double?, recordEvery: Int?) throws -> StochasticGradientDescent {
            var sgd = try StochasticGradientDescent(learningRate: learningRate, maximumSteps: maximumSteps, unitsPerStep: unitsPerStep,
                                                    workers: workers, window: sgdWindow, relativeTolerance: relativeTolerance,
                                                    recordEvery: recordEvery)
            sgd.shouldStop = shouldStop
            return sgd
        }
        func unlessStopped(_ result: TrainingResult) throws(Stopped) -> TrainingResult {
            if result.stop == .stopped { throw Stopped() }
            return result
        }
        let watched = try trainer(budget, relativeTolerance: sgdRelativeTolerance, recordEvery: recordEvery)
        let first = try unlessStopped(watched.train(layer, on: source, promptLength: promptLength, from: start, stream: stream,
                                                    alignmentTarget: target))
        var trajectory = first.trajectory.map { AuditedRun.Point($0) }
        var mu = first.parameters
        var steps = first.steps
        var outcome: ExperimentResult.RunVerdict.Outcome
        var needed: Int?
        switch first.stop {
        case .diverged, .stopped:   // .stopped was thrown above
            outcome = .diverged
        case .converged:
            outcome = .converged
            needed = first.steps
            if first.steps < budget {
                // Recorded at every step, then thinned to the same grid (multiples of recordEvery, and
                // the last step) as a run that never stops early, so all runs share their x values.
                let rest = try trainer(budget - first.steps, relativeTolerance: nil, recordEvery: 1)
                let second = try unlessStopped(rest.train(layer, on: source, promptLength: promptLength, from: mu,
                                                          stream: stream.child("after convergence"), alignmentTarget: target))
                let offset = first.steps
                trajectory.removeAll { $0.step % recordEvery != 0 }
                let recorded = Set(trajectory.map(\.step))
                for point in second.trajectory where !recorded.contains(point.step + offset)
                    && ((point.step + offset) % recordEvery == 0 || point.step + offset == budget) {
                    trajectory.append(AuditedRun.Point(point, offset: offset))
                }
                mu = second.parameters
                steps = offset + second.steps
                if second.stop == .diverged { outcome = .diverged }
            }
        case .budgetExhausted:
            outcome = .stoppedEarly
            if extraSteps > 0 {
                let more = try trainer(extraSteps, relativeTolerance: sgdRelativeTolerance, recordEvery: nil)
                let continued = try unlessStopped(more.train(layer, on: source, promptLength: promptLength, from: mu,
                                                             stream: stream.child("continuation"), alignmentTarget: target))
                if continued.stop == .converged { needed = budget + continued.steps }
            }
        }
        let diagnosis: AuditedRun.Diagnosis = switch outcome {
        case .converged: .converged
        case .stoppedEarly: .notConvergedYet
        case .diverged: .diverged
        }
        let verdict = ExperimentResult.RunVerdict(
            label: label, outcome: outcome, finalAlignment: mu.alignment(with: target),
            relativeDistance: optimum.flatMap { mu.isFinite ? relativeDistance(mu, to: $0) : nil }, stepsTaken: steps, stepsNeeded: needed,
            normRatio: optimum.flatMap { mu.isFinite ? mu.norm / $0.norm : nil }, diagnosis: diagnosis)
        return AuditedRun(verdict: verdict, trajectory: trajectory, finalParameters: mu, diagnosis: diagnosis)
    }
}
