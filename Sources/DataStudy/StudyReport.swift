import Foundation
import PaperClaims
import Reports

/// Writes a study's folder atomically: REPORT.md (the answer first, then the spectrum, the
/// defaults with their reasons, the arms with intervals, the comparisons, the notes),
/// results.json (`StudyResult`) and figures/alignment.svg. Reuses the harness's
/// `FigureRenderer`, `ReportFormat` and `AtomicWriter`.
public enum StudyReport {
    /// Writes the folder `url` (replacing it if it exists); `command` is the command line that
    /// reproduces the study.
    public static func write(_ result: StudyResult, to url: URL, command: String) throws {
        let figure = StudyFigure.alignment(result)
        let svg = FigureRenderer().svg(figure)
        let markdown = self.markdown(result, command: command, figure: figure)
        let json = try JSONFormat.data(result)
        try AtomicWriter.writeFolder(at: url) { folder in
            try AtomicWriter.write(Data(markdown.utf8), to: folder.appendingPathComponent("REPORT.md"))
            try AtomicWriter.write(json, to: folder.appendingPathComponent("results.json"))
            try AtomicWriter.write(Data(svg.utf8), to: folder.appendingPathComponent("figures/alignment.svg"))
        }
    }

    /// The Markdown report.
    public static func markdown(_ result: StudyResult, command: String, figure: FigureData) -> String {
        let n = ReportFormat.number
        var md = "# Attention-based PCA on your data: \(result.source)\n\n"
        md += "**\(result.verdict.headline)**\n\n"
        if !result.verdict.causes.isEmpty {
            md += (result.verdict.holds ? "Caveats:\n\n" : "Causes found:\n\n") + result.verdict.causes.map { "- \($0)\n" }.joined() + "\n"
        }
        md += "Command: `\(command)` (seed \(result.seed), wall time \(ReportFormat.duration(result.wallSeconds))).\n\n"
        md += "## Input and spectrum\n\n"
        let sp = result.spectrum
        md += "| quantity | value |\n|---|---|\n"
        md += "| input | \(result.inputKind == "data" ? "data matrix, n = \(result.sampleCount ?? 0) samples" : "covariance matrix") x d = \(result.dimension)\(result.standardised ? ", columns standardised to unit variance" : "") |\n"
        md += "| s_1, s_2 | \(n(sp.eigenvalues[0])), \(sp.eigenvalues.count > 1 ? n(sp.eigenvalues[1]) : "–") |\n"
        md += "| top gap s_1 - s_2 (relative) | \(n(sp.topGap)) (\(n(sp.relativeGap))) |\n"
        md += "| tr S | \(n(sp.trace)) |\n"
        md += "| rank (eigenvalues above d eps s_1 = \(n(sp.nullTolerance))) | \(sp.rank) of \(result.dimension) |\n"
        md += "| zero-variance coordinates | \(sp.zeroVarianceCoordinates.isEmpty ? "none" : sp.zeroVarianceCoordinates.map(String.init).joined(separator: ", ")) |\n"
        md += "| condition number s_1 / s_r of the non-null part | \(n(sp.conditionNumber)) |\n\n"
        md += "Eigenvalues, largest first: " + sp.eigenvalues.prefix(20).map { n($0) }.joined(separator: ", ")
            + (sp.eigenvalues.count > 20 ? ", ... (all in results.json)" : "") + ".\n\n"
        if !result.notes.isEmpty {
            md += "## Notes\n\n" + result.notes.map { "- \($0)\n" }.joined() + "\n"
        }
        md += "## Results\n\n"
        md += "| arm | alignment with u_1 | interval | runs | wall time | notes |\n|---|---|---|---|---|---|\n"
        for g in result.gradientDescent {
            md += "| GD on \(g.risk) (closed form, S of the data) | \(n(g.alignment)) | – (deterministic) | 1 | – | \(ReportFormat.cell("\(g.diagnosis); step \(n(g.stepSize)), \(g.budget) steps; |mu - mu*| / |mu*| = \(n(g.relativeDistance)); needs \(g.stepsNeeded.map(String.init) ?? "> 5 x budget") steps")) |\n"
        }
        for a in result.sgd {
            let i = a.interval
            md += "| SGD on \(a.description) | \(n(i.mean)) (sd \(n(i.standardDeviation))) | [\(n(max(0, i.lower))), \(n(min(1, i.upper)))] (\(n(i.confidence * 100))% t\(i.lower < 0 || i.upper > 1 ? ", clipped to [0, 1]" : "")) | \(i.count) | \(ReportFormat.duration(a.wallSeconds)) | \(ReportFormat.cell((a.diverged > 0 ? "\(a.diverged) diverged; " : "") + "min \(n(a.alignments.min())), max \(n(a.alignments.max())); last-quarter change \(a.lastQuarterChange.map { "\(n($0.mean)) [\(n($0.lower)), \(n($0.upper))]" } ?? "–")\(a.stillMoving ? ", still moving" : ", settled")")) |\n"
        }
        md += "\n"
        if !result.comparisons.isEmpty {
            md += "## Comparisons (Welch t)\n\n| comparison | question | mean difference | t | df | p | alpha | significant |\n|---|---|---|---|---|---|---|---|\n"
            for c in result.comparisons {
                md += "| \(c.name) | \(c.question) | \(n(c.test.difference)) | \(n(c.test.t)) | \(n(c.test.degreesOfFreedom)) | \(n(c.test.pValue)) | \(n(c.alpha)) | \(c.significant ? "yes" : "no") |\n"
            }
            md += "\n"
        }
        md += "## Figure\n\n![\(figure.title)](figures/alignment.svg)\n\n\(figure.caption)\n\n"
        md += "## Settings and why\n\n| setting | value | reason |\n|---|---|---|\n"
        for s in result.settings { md += "| \(ReportFormat.cell(s.name)) | \(ReportFormat.cell(s.value)) | \(ReportFormat.cell(s.reason)) |\n" }
        md += "\nHow to read this report: docs/STUDY.md.\n"
        return md
    }
}
