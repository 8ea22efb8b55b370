import AttentionModels
import Foundation
import Instances
import PaperClaims
import Randomness
import Testing

/// The paper's experiments (docs/MATHEMATICS.md §9): every one runs and yields finite figure data with
/// one verdict per run, results are deterministic, and the budget audit can say "stopped early".
///
/// The published protocols themselves (all runs, every sweep point) are run on demand:
/// `EXPERIMENTS=fig3b,fig7a EXPERIMENT_RUNS=10 EXPERIMENT_STRIDE=1 scripts/with-blas swift test -c release
/// --filter ExperimentTests/publishedProtocol` prints each summary and its wall time.
@Suite("The paper's experiments")
struct ExperimentTests {
    /// Every registered experiment id.
    static let ids = PaperClaims.experiments.map(\.id)

    /// The ids named in EXPERIMENTS (comma-separated), if set.
    static var requested: [String]? {
        ProcessInfo.processInfo.environment["EXPERIMENTS"].map { list in
            list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
    }

    static func integer(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? value
    }

    @Test("every published figure and the gap experiment are registered")
    func registry() {
        let expected = ["fig3b", "fig3a", "fig1", "fig4b", "fig4a", "softmax-vs-L", "linear-vs-L", "fig6a", "fig6b",
                        "fig7b", "fig7a", "fig2", "icl-vs-L", "fig8b", "gap"]
        #expect(Set(Self.ids) == Set(expected))
        #expect(Self.ids.count == expected.count, "no id twice")
        for experiment in PaperClaims.experiments {
            #expect(experiment.publishedRuns == 10)
            #expect(!experiment.parameters.isEmpty)
        }
    }

    /// One run, one sweep point (stride 20 keeps only the first point of every grid): every
    /// figure has finite data and there is one verdict per run and method.
    @Test("runs and yields finite figures with one verdict per run", arguments: ids)
    func runsAndYieldsFiniteData(id: String) throws {
        let options = ExperimentOptions(seed: 7, runs: 1, sweepStride: 20, workers: 2)
        let result = try PaperClaims.experiment(id).run(options)
        #expect(result.id == id)
        #expect(!result.figures.isEmpty)
        for figure in result.figures {
            #expect(!figure.series.isEmpty, "\(figure.id) has no series")
            for series in figure.series {
                #expect(!series.x.isEmpty && series.x.count == series.y.count, "\(figure.id)/\(series.label): \(series.x.count) x, \(series.y.count) y")
                #expect(series.x.allSatisfy(\.isFinite) && series.y.allSatisfy(\.isFinite), "\(figure.id)/\(series.label) has non-finite data")
                if let low = series.low, let high = series.high {
                    #expect(low.count == series.y.count && high.count == series.y.count)
                    #expect(zip(zip(low, series.y), high).allSatisfy { $0.0 <= $0.1 && $0.1 <= $1 }, "band must contain the mean")
                }
            }
        }
        let methods = ["fig1", "fig2"].contains(id) ? 2 : 1
        #expect(result.runs.count == methods * options.runs, "one verdict per run and method")
        for verdict in result.runs {
            #expect(verdict.finalAlignment >= 0 && verdict.finalAlignment <= 1 + 1e-12, "\(verdict.label): alignment is a |cosine|")
            #expect(verdict.stepsTaken > 0)
            if let needed = verdict.stepsNeeded, verdict.outcome == .converged { #expect(needed <= verdict.stepsTaken) }
            if let needed = verdict.stepsNeeded, verdict.outcome == .stoppedEarly { #expect(needed > verdict.stepsTaken) }
        }
        #expect(result.summary.contains("of \(result.runs.count / methods) runs"))
    }

    @Test("the same seed gives the same result, for any worker count")
    func determinism() throws {
        for id in ["fig3b", "fig4a", "gap"] {
            let experiment = try PaperClaims.experiment(id)
            let first = try experiment.run(ExperimentOptions(seed: 11, runs: 2, sweepStride: 4, workers: 2))
            let again = try experiment.run(ExperimentOptions(seed: 11, runs: 2, sweepStride: 4, workers: 2))
            let serial = try experiment.run(ExperimentOptions(seed: 11, runs: 2, sweepStride: 4, workers: 1))
            #expect(first == again, "\(id): same seed, different result")
            #expect(first == serial, "\(id): result depends on the worker count")
            let other = try experiment.run(ExperimentOptions(seed: 12, runs: 2, sweepStride: 4, workers: 2))
            #expect(first != other, "\(id): the seed is ignored")
        }
    }

    /// The report draws the mean and band of runs that share a label only when they share their
    /// x values: SGD runs that meet the window criterion early must keep the common grid.
    @Test("runs of one method share their x grid")
    func runsShareTheirGrid() throws {
        let result = try PaperClaims.experiment("fig4a").run(ExperimentOptions(seed: 2, runs: 3))
        #expect(result.runs.contains { $0.outcome == .converged }, "the case of interest: a run that met the criterion early")
        let runs = result.figures[0].series.filter { $0.role == .run }
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0.x == runs[0].x }, "x grids differ: \(runs.map(\.x.count))")
    }

    @Test("fewer runs give the first runs of the full experiment")
    func runsAreNested() throws {
        let experiment = try PaperClaims.experiment("fig3b")
        let three = try experiment.run(ExperimentOptions(seed: 5, runs: 3))
        let two = try experiment.run(ExperimentOptions(seed: 5, runs: 2))
        #expect(Array(three.runs.prefix(2)) == two.runs)
    }

    /// The audit must be able to say "stopped early", "converged" and "diverged": the same GD on
    /// R_inf (d = 5, lam = 0.01, S = A A^T + 0.1 I), judged at budgets of 10 and 10^5 steps and
    /// at a step 10x the stable bound 2 / (8 lam s_1^2).
    @Test("the budget audit distinguishes stopped early, converged and diverged")
    func auditCanFail() throws {
        var stream = RandomStream(seed: 3)
        let covariance = try Covariance.random(.paperGram(ridge: 0.1), dimension: 5, using: &stream)
        let risk = try InfinitePromptSoftmaxRisk(covariance: covariance, lam: 0.01)
        let start = stream.unitVector(dimension: 5)
        let step = 0.25 * 2 / risk.curvatureAtMinimumClosedForm
        let short = try BudgetAudit.gradientDescent(risk, stepSize: step, budget: 10, from: start,
                                                    alignmentTarget: covariance.topEigenvector, recordEvery: 1, label: "short")
        #expect(short.verdict.outcome == .stoppedEarly)
        #expect(short.verdict.relativeDistance! > BudgetAudit.relativeDistanceTolerance)
        #expect(short.diagnosis == .notConvergedYet, "a run still moving is not 'converged to the wrong point'")
        let needed = try #require(short.verdict.stepsNeeded, "100 x 10 steps should suffice at a quarter of the stable step")
        #expect(needed > 10)
        let long = try BudgetAudit.gradientDescent(risk, stepSize: step, budget: 100_000, from: start,
                                                   alignmentTarget: covariance.topEigenvector, recordEvery: 1000, label: "long")
        #expect(long.verdict.outcome == .converged)
        #expect(long.verdict.stepsNeeded == needed, "the continued search and the long run agree on the first step within tolerance")
        #expect(long.verdict.finalAlignment > 1 - 1e-6)
        let unstable = try BudgetAudit.gradientDescent(risk, stepSize: 10 * 2 / risk.curvatureAtMinimumClosedForm, budget: 10_000,
                                                       from: start.scaled(by: 10), alignmentTarget: covariance.topEigenvector,
                                                       recordEvery: 100, label: "unstable")
        #expect(unstable.verdict.outcome == .diverged)
        // Started exactly on the saddle along u_2, GD stays there: converged to the wrong point.
        let saddle = covariance.eigen.vector(1).scaled(by: 1 / (0.01 * covariance.eigenvalues[1]).squareRoot())
        let stuck = try BudgetAudit.gradientDescent(risk, stepSize: step, budget: 100, from: saddle,
                                                    alignmentTarget: covariance.topEigenvector, recordEvery: 10,
                                                    continuationFactor: 1, label: "saddle")
        #expect(stuck.verdict.outcome == .stoppedEarly)
        #expect(stuck.diagnosis == .wrongCriticalPoint)
        // Just above the stable bound GD settles into a period-2 oscillation around the optimum.
        let oscillating = try BudgetAudit.gradientDescent(risk, stepSize: 1.05 * 2 / risk.curvatureAtMinimum, budget: 1000,
                                                          from: risk.minimiser.scaled(by: 1.001), alignmentTarget: covariance.topEigenvector,
                                                          recordEvery: 10, continuationFactor: 1, label: "oscillating")
        #expect(oscillating.verdict.outcome == .stoppedEarly)
        #expect(oscillating.diagnosis == .unstableStep)
    }

    @Test("invalid options are rejected")
    func invalidOptions() throws {
        #expect(throws: ExperimentError.self) { try PaperClaims.experiment("fig3b").run(ExperimentOptions(seed: 1, runs: 0)) }
        #expect(throws: ExperimentError.self) { try PaperClaims.experiment("fig6a").run(ExperimentOptions(seed: 1, sweepStride: 0)) }
    }

    /// On demand: the experiments named in EXPERIMENTS at EXPERIMENT_RUNS runs (default 10),
    /// stride EXPERIMENT_STRIDE (1), EXPERIMENT_WORKERS threads (2), seed EXPERIMENT_SEED (1);
    /// prints each summary, its verdicts and its wall time.
    @Test("published protocol (on demand)", .enabled(if: requested != nil))
    func publishedProtocol() throws {
        let options = ExperimentOptions(seed: UInt64(Self.integer("EXPERIMENT_SEED", default: 1)), runs: Self.integer("EXPERIMENT_RUNS", default: 10),
                                        sweepStride: Self.integer("EXPERIMENT_STRIDE", default: 1),
                                        workers: Self.integer("EXPERIMENT_WORKERS", default: 2))
        for id in Self.requested ?? [] {
            let clock = ContinuousClock()
            var result: ExperimentResult?
            let elapsed = try clock.measure { result = try PaperClaims.experiment(id).run(options) }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            print("== \(id) (runs \(options.runs), stride \(options.sweepStride), workers \(options.workers)): \(String(format: "%.1f", seconds)) s")
            print(result!.summary)
            if ProcessInfo.processInfo.environment["EXPERIMENT_VERDICTS"] != nil {
                for v in result!.runs {
                    print("  \(v.label): \(v.outcome.rawValue), alignment \(v.finalAlignment), distance \(v.relativeDistance.map { "\($0)" } ?? "-"), "
                        + "steps \(v.stepsTaken), needed \(v.stepsNeeded.map(String.init) ?? "-")")
                }
            }
        }
    }
}
