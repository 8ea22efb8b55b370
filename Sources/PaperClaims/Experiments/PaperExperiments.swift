import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// The paper's experiments (docs/MATHEMATICS.md §9) at their published parameters, plus `gap` (the
/// spectral-gap law of docs/MATHEMATICS.md §6.3, §9.5), each returning its figure data and a per-run verdict
/// on whether the published step budget reaches convergence (`BudgetAudit`).
///
/// Randomness: experiment e draws from `RandomStream(seed).child(e)`; its covariance (drawn once
/// per figure, or once per dimension in a d sweep) from `.child("covariance")`; run r from
/// `.child(r)`, at sweep value x from `.child(r).child(x)`. So fewer runs or a thinner sweep
/// give a subset of the full experiment's runs, unchanged.
public enum PaperExperiments {
    /// Every experiment, in the order of the paper's figures, then `gap`.
    public static let all: [PaperExperiment] = [
        fig1, fig3a, fig3b, fig4a, fig4b, softmaxVersusLength, linearVersusLength, fig6a, fig6b,
        fig2, fig7a, fig7b, inContextVersusLength, fig8b, spectralGap,
    ]

    /// The covariance of a figure: S = A A^T + 0.1 I (docs/MATHEMATICS.md §1.2) from `root.child("covariance")`,
    /// further split by `index` when a figure needs one per sweep point.
    static func paperCovariance(_ root: RandomStream, dimension: Int, index: Int? = nil) throws -> Covariance {
        var stream = root.child("covariance")
        if let index { stream = stream.child(index) }
        return try Covariance.random(.paperGram(ridge: 0.1), dimension: dimension, using: &stream)
    }

    /// Every `stride`-th value of a published grid, starting with the first.
    static func thinned<T>(_ grid: [T], stride: Int) -> [T] {
        Swift.stride(from: 0, to: grid.count, by: stride).map { grid[$0] }
    }

    /// Throws unless the options make sense (at least one run, stride and worker).
    static func validate(_ options: ExperimentOptions, id: String) throws {
        guard options.runs >= 1 else { throw ExperimentError(id: id, problem: "runs must be >= 1 (got \(options.runs))") }
        guard options.sweepStride >= 1 else { throw ExperimentError(id: id, problem: "sweepStride must be >= 1 (got \(options.sweepStride))") }
        guard options.workers >= 1 else { throw ExperimentError(id: id, problem: "workers must be >= 1 (got \(options.workers))") }
    }

    /// `job(point, run, context)` for every sweep point and run, in parallel over all pairs;
    /// results grouped by point, runs in order. A sweep `sharedAs` a name keys its units by that
    /// name rather than by this experiment's sweep, so another experiment running the very same
    /// jobs under the same name reuses them through the ledger instead of computing them again.
    static func sweep<Point: Sendable>(
        _ points: [Point], options: ExperimentOptions, sharedAs name: String? = nil,
        _ job: @escaping @Sendable (Point, Int, RunContext) throws -> AuditedRun
    ) throws -> [[AuditedRun]] {
        let runs = options.runs
        let jobs = points.count * runs
        let inner = ParallelRuns.innerWorkers(jobs: jobs, workers: options.workers)
        // With a ledger each job is one unit of work: reused, another shard's, or computed and recorded.
        let scope = options.ledgerScope
        let sweep = scope?.nextSweep()
        let prefix = name.map { "\($0) seed \(options.seed)" } ?? sweep
        let flat = try ParallelRuns.map(jobs, workers: options.workers) { index in
            let compute = { (shouldStop: (@Sendable () -> Bool)?) in
                try job(points[index / runs], index % runs, RunContext(workers: inner, shouldStop: shouldStop))
            }
            guard let scope, let prefix else { return try compute(nil) }
            return try scope.ledger.run("\(prefix) job \(index)") { try compute($0) }
        }
        return points.indices.map { p in Array(flat[(p * runs)..<((p + 1) * runs)]) }
    }

    /// What a sweep gives each run besides its point and index.
    struct RunContext: Sendable {
        /// Worker threads for the run's own parallel work (an SGD step's units): its share of
        /// the sweep's workers.
        let workers: Int
        /// Asked by the trainer before every step; true stops the run (set for journaled runs,
        /// so that SIGINT or SIGTERM ends a long run between steps). Nil: never asked.
        let shouldStop: (@Sendable () -> Bool)?
    }

    /// A start drawn as `scale` x N(0, I) (the paper's mu0 for its SGD and linear experiments).
    static func gaussianStart(_ stream: RandomStream, dimension: Int, scale: Double) -> [Double] {
        var stream = stream.child("start")
        return stream.normals(dimension).scaled(by: scale)
    }

    /// A start drawn uniformly on the unit sphere (the paper's mu0 for Fig. 3b).
    static func sphereStart(_ stream: RandomStream, dimension: Int) -> [Double] {
        var stream = stream.child("start")
        return stream.unitVector(dimension: dimension)
    }

    /// The published prompt-length grid "20 values from 3 to 50": the values are not listed
    /// (docs/MATHEMATICS.md §9.1); this is numpy's linspace(3, 50, 20) truncated to integers, the likely script.
    static let promptLengthGrid: [Int] = (0..<20).map { Int(3 + 47 * Double($0) / 19) }

    /// The published dimension grid d = 3, 8, ..., 98 (also the ICL prompt lengths L = 3, ..., 98).
    static let fivesGrid: [Int] = Array(Swift.stride(from: 3, through: 98, by: 5))
}
