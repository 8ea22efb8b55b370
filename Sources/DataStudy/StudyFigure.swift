import PaperClaims

/// The study's figure: alignment against SGD steps for each arm (mean over runs, band min to
/// max) with gradient descent on R_inf overlaid on the same step axis, as `FigureData` so that
/// the harness's `FigureRenderer` draws it like the paper's figures.
public enum StudyFigure {
    /// The alignment-against-steps figure of `result`.
    public static func alignment(_ result: StudyResult) -> FigureData {
        var series = [FigureData.Series]()
        for arm in result.sgd where !arm.steps.isEmpty {
            series.append(FigureData.Series(label: "SGD, \(arm.name) (mean of \(arm.alignments.count) runs, band min–max)", role: .summary,
                                            x: arm.steps, y: arm.meanAlignment, low: arm.minimumAlignment, high: arm.maximumAlignment))
        }
        let lastStep = result.sgd.first?.steps.last ?? 0
        if let gd = result.gradientDescent.first {
            let points = gd.trajectory.filter { $0[0] <= max(lastStep, 1) }
            if points.count >= 2 {
                series.append(FigureData.Series(label: "GD on \(gd.risk) (step \(StudyRunner.fmt(gd.stepSize)))", role: .run,
                                                x: points.map { $0[0] }, y: points.map { $0[1] }))
            }
        }
        series.append(FigureData.Series(label: "alignment 1", role: .reference, x: [0, max(lastStep, 1)], y: [1, 1]))
        let name = result.source.split(separator: "/").last.map(String.init) ?? result.source
        return FigureData(
            id: "alignment", title: "Alignment with u_1 on \(name) (d = \(result.dimension), rank \(result.spectrum.rank))",
            xLabel: "step", yLabel: "alignment |cos(mu, u_1)|", series: series,
            caption: "SGD of the softmax layer on prompts of real rows, of a Gaussian sample with the same n and covariance, and of N(0, S) tokens; gradient descent on the infinite-prompt closed form for reference.",
            yBounds: .unitInterval)
    }
}
