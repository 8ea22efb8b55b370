import AttentionModels
import Foundation

/// Builds the figures of the experiments from audited runs: trajectory figures (one thin curve
/// per run) and sweep figures (mean with a min-max band across runs).
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

    /// A figure of alignment against iterations.
    static func trajectoryFigure(id: String, title: String, series: [FigureData.Series], budget: Int, caption: String) -> FigureData {
        FigureData(id: id, title: title, xLabel: "iteration", yLabel: "alignment |<mu/|mu|, target>|",
                   series: series + [reference("alignment 1", value: 1, to: Double(budget))], caption: caption)
    }

    /// A number in the short form used in captions and summaries.
    static func format(_ value: Double) -> String { String(format: "%.3g", value) }
}
