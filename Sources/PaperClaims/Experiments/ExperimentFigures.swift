import AttentionModels
import Foundation

/// Builds the figures of the experiments from audited runs: trajectory figures (one thin curve
/// per run) and sweep figures (mean with a min-max band across runs), with the points whose runs
/// did not converge marked, the y range the quantity can take, and a note on reduced runs.
enum ExperimentFigures {
    /// The recording interval that gives a trajectory of about 250 points over `budget` steps.
    static func recordEvery(budget: Int) -> Int { max(1, budget / 250) }

    /// One `.run` series per run: alignment against the step, under the shared `label`.
    static func trajectories(_ runs: [AuditedRun], label: String) -> [FigureData.Series] {
        runs.map { run in
            FigureData.Series(label: label, role: .run, x: run.trajectory.map { Double($0.step) },
                              y: run.trajectory.map(\.alignment))
        }
    }

    /// The horizontal reference line y = `value` over [0, `budget`].
    static func reference(_ label: String, value: Double, from start: Double = 0, to end: Double) -> FigureData.Series {
        FigureData.Series(label: label, role: .reference, x: [start, end], y: [value, value])
    }

    /// The legend label of a mean over `runs` runs with its min-max band: one phrase for every figure.
    static func bandLabel(_ name: String, runs: Int) -> String { "\(name): mean of \(runs) runs, band min–max" }

    /// A `.summary` series: at each x, the mean of the values with the min-max band. Points whose
    /// values are all missing (NaN) are left out; nil if no point is left.
    static func summary(_ label: String, x: [Double], values: [[Double]]) -> FigureData.Series? {
        var xs = [Double](), mean = [Double](), low = [Double](), high = [Double]()
        for (position, group) in values.enumerated() {
            let finite = group.filter(\.isFinite)
            guard !finite.isEmpty else { continue }
            xs.append(x[position])
            mean.append(finite.reduce(0, +) / Double(finite.count))
            low.append(finite.min()!)
            high.append(finite.max()!)
        }
        return xs.isEmpty ? nil : FigureData.Series(label: label, role: .summary, x: xs, y: mean, low: low, high: high)
    }

    /// What a sweep figure plots per run, which decides the points it marks.
    enum Quantity {
        /// A value every run has (final alignment, distance): a point is marked where a run
        /// oscillates at an unstable step, ended near a wrong critical point, or diverged.
        case finalValue
        /// The steps a run needed, nil where it never got there: those runs are left out of the
        /// mean, and the point says so (or, if every run is left out, is marked as missing).
        case stepsNeeded
    }

    /// A `.summary` series of `value` over the sweep (mean and min-max band over the runs of each
    /// point, labelled `pointLabels`; nil if no point has a value), and the marks `quantity` calls for.
    /// `value(p, run)` is the run's value at point p (nil: none).
    static func summary(_ label: String, x: [Double], pointLabels: [String], runs: [[AuditedRun]], quantity: Quantity,
                        value: (_ point: Int, _ run: AuditedRun) -> Double?) -> (series: FigureData.Series?, marks: [FigureData.Mark]) {
        let series = summary(label, x: x, values: runs.enumerated().map { p, group in group.map { value(p, $0) ?? .nan } })
        var marks = [FigureData.Mark]()
        for (p, group) in runs.enumerated() {
            let drawn = series.flatMap { s in s.x.firstIndex(of: x[p]).map { s.y[$0] } }
            let n = group.count
            switch quantity {
            case .finalValue:
                for (diagnosis, reason) in [(AuditedRun.Diagnosis.unstableStep, "GD did not converge (oscillating, step ≥ 2/h_max)"),
                                            (.wrongCriticalPoint, "GD ended near a saddle or the origin"),
                                            (.diverged, "diverged (non-finite iterate)")] {
                    let k = group.filter { $0.diagnosis == diagnosis }.count
                    guard k > 0 else { continue }
                    marks.append(FigureData.Mark(x: x[p], y: drawn, point: pointLabels[p], reason: k == n ? reason : "\(reason) in \(k) of \(n) runs"))
                }
            case .stepsNeeded:
                let missing = group.filter { value(p, $0).map { !$0.isFinite } ?? true }
                guard !missing.isEmpty else { continue }
                let why: String
                if missing.contains(where: { $0.diagnosis == .unstableStep }) {
                    why = "GD never converges (oscillating, step ≥ 2/h_max)"
                } else if missing.contains(where: { $0.diagnosis == .diverged }) {
                    why = "diverged"
                } else if missing.contains(where: { $0.diagnosis == .wrongCriticalPoint }) {
                    why = "stuck near a saddle or the origin"
                } else {
                    why = "needs more than \(BudgetAudit.continuationFactor) x the budget"
                }
                let reason = missing.count == n ? "no value, \(why)" : "\(missing.count) of \(n) runs left out, \(why)"
                marks.append(FigureData.Mark(x: x[p], y: missing.count == n ? nil : drawn, point: pointLabels[p], reason: reason))
            }
        }
        return (series, marks)
    }

    /// A figure of alignment against iterations (the axis ends at alignment 1).
    static func trajectoryFigure(id: String, title: String, series: [FigureData.Series], budget: Int, caption: String) -> FigureData {
        FigureData(id: id, title: title, xLabel: "iteration", yLabel: "alignment |<mu/|mu|, target>|",
                   series: series + [reference("alignment 1", value: 1, to: Double(budget))], caption: caption, yBounds: .unitInterval)
    }

    /// The figures of a sweep: final alignment against the swept value `x`, and for gradient
    /// descent the steps needed (unless `extraFigures` replace that figure), for SGD with a known
    /// optimum the final distance to it. Runs that did not converge are marked point by point.
    static func sweepFigures(
        id: String, title: String, xLabel: String, x: [Double], pointLabels: [String], runs: [[AuditedRun]], summary: VerdictSummary,
        caption: String, logX: Bool, extraFigures: [FigureData]
    ) -> [FigureData] {
        let symbol = sweepSymbol(xLabel)
        let n = runs.first?.count ?? 0
        let final = Self.summary(bandLabel(summary.name, runs: n), x: x, pointLabels: pointLabels, runs: runs, quantity: .finalValue,
                                 value: { $1.verdict.finalAlignment })
        let alignment = FigureData(
            id: id, title: title, xLabel: xLabel, yLabel: "final alignment", logX: logX, series: [final.series].compactMap { $0 },
            caption: caption + " Bold: mean over runs; band: min to max across runs.", yBounds: .unitInterval, sweepSymbol: symbol,
            marks: final.marks.isEmpty ? nil : final.marks)
        var figures = [alignment] + extraFigures
        if summary.method == .gradientDescent && extraFigures.isEmpty {
            let steps = Self.summary(bandLabel("steps needed", runs: n), x: x, pointLabels: pointLabels, runs: runs, quantity: .stepsNeeded,
                                     value: { $1.verdict.stepsNeeded.map(Double.init) })
            figures.append(FigureData(
                id: "\(id)-steps", title: "\(title): steps gradient descent needs", xLabel: xLabel, yLabel: "steps to reach the optimum",
                logX: logX,
                series: [steps.series,
                         FigureData.Series(label: "published budget", role: .reference, x: [x.first!, x.last!],
                                           y: [Double(summary.budget), Double(summary.budget)])].compactMap { $0 },
                caption: "Steps the same gradient descent needs to come within relative distance "
                    + "\(format(BudgetAudit.relativeDistanceTolerance)) of the optimum (runs that need more than "
                    + "\(BudgetAudit.continuationFactor) x the budget, or that cannot converge at the published step, are left out "
                    + "and their points marked in red); above the reference line the published budget stops early.",
                yBounds: .nonNegative, sweepSymbol: symbol, marks: steps.marks.isEmpty ? nil : steps.marks))
        }
        if summary.method == .stochastic, let optimum = summary.optimum {
            let distance = Self.summary(bandLabel("distance to \(optimum)", runs: n), x: x, pointLabels: pointLabels, runs: runs,
                                        quantity: .finalValue, value: { $1.verdict.relativeDistance })
            if let series = distance.series {
                figures.append(FigureData(
                    id: "\(id)-distance", title: "\(title): distance to the population minimiser", xLabel: xLabel,
                    yLabel: "|mu - mu*| / |mu*| at the end", logX: logX,
                    series: [series, reference("tolerance \(format(BudgetAudit.relativeDistanceTolerance))",
                                               value: BudgetAudit.relativeDistanceTolerance, from: x.first!, to: x.last!)],
                    caption: "Relative distance of the final SGD iterate to the nearer of +-\(optimum): alignment near 1 with a distance "
                        + "near 1 means mu points the right way but its norm is still far from the optimum's. Bold: mean over runs; band: min to max.",
                    yBounds: .nonNegative, sweepSymbol: symbol, marks: distance.marks.isEmpty ? nil : distance.marks))
            }
        }
        return figures
    }

    /// The swept quantity's symbol from an axis label: "L (prompt length)" gives "L".
    static func sweepSymbol(_ xLabel: String) -> String {
        xLabel.range(of: " (").map { String(xLabel[..<$0.lowerBound]) } ?? xLabel
    }

    /// `result` with every figure saying how `options` sampled the published protocol of
    /// `publishedRuns` runs per configuration, when that differs from the protocol.
    static func annotated(_ result: ExperimentResult, options: ExperimentOptions, publishedRuns: Int) -> ExperimentResult {
        let sampling = FigureData.Sampling(profile: options.profile?.rawValue, runs: options.runs, publishedRuns: publishedRuns,
                                           sweepStride: options.sweepStride)
        let figures = result.figures.map { figure in
            var figure = figure
            if sampling.note(sweepSymbol: figure.sweepSymbol) != nil { figure.sampling = sampling }
            return figure
        }
        return ExperimentResult(id: result.id, figures: figures, runs: result.runs, summary: result.summary)
    }

    /// A number in the short form used in captions and summaries.
    static func format(_ value: Double) -> String { String(format: "%.3g", value) }
}
