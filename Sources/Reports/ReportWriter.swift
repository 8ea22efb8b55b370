import Foundation
import PaperClaims
import PropertyEngine

/// Writes a reproducibility report folder — `REPORT.md`, `results.json` and `figures/*.svg` —
/// from a `ResultsFile`, atomically (a temporary sibling folder renamed into place), so a
/// half-written report never replaces a good one. Everything but timestamps and durations is
/// a function of the results, so two runs with the same seed give the same bytes otherwise.
public struct ReportWriter: Sendable {
    /// Draws the figures.
    public var renderer = FigureRenderer()

    /// A writer with the default renderer.
    public init() {}

    /// The conventional folder for a run: `<base>/<date>-<profile>-<seed>` (UTC date of the start).
    public static func defaultFolder(base: URL, results: ResultsFile) -> URL {
        let date = String(results.startedAt.prefix(10))
        return base.appendingPathComponent("\(date)-\(results.profile.rawValue)-\(results.rootSeed)")
    }

    /// The conventional folder for a run about to start now (chosen before the run, so it can be reserved).
    public static func defaultFolder(base: URL, profile: Profile, seed: UInt64, startingAt date: Date = Date()) -> URL {
        let day = String(ResultsFile.timestamp(date).prefix(10))
        return base.appendingPathComponent("\(day)-\(profile.rawValue)-\(seed)")
    }

    /// Writes the report folder at `folder` (replacing any previous one atomically); with a
    /// mutation self-check, also SELF-CHECK.md, self-check.json and a section of REPORT.md.
    public func write(_ results: ResultsFile, selfCheck: SelfCheckTable? = nil, to folder: URL) throws {
        try AtomicWriter.writeFolder(at: folder) { temporary in
            let figures = temporary.appendingPathComponent("figures")
            try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
            for figure in results.experiments.compactMap(\.result).flatMap(\.figures) {
                try Data(renderer.svg(figure).utf8).write(to: figures.appendingPathComponent("\(Self.fileName(figure.id)).svg"))
            }
            try results.encoded().write(to: temporary.appendingPathComponent("results.json"))
            var text = markdown(results)
            if let selfCheck {
                try JSONFormat.data(selfCheck).write(to: temporary.appendingPathComponent("self-check.json"))
                try Data(selfCheck.markdown.utf8).write(to: temporary.appendingPathComponent("SELF-CHECK.md"))
                text += "\n" + selfCheck.markdown(heading: "##")
            }
            try Data(text.utf8).write(to: temporary.appendingPathComponent("REPORT.md"))
        }
    }

    /// A file-name-safe version of an id.
    static func fileName(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }

    /// The Markdown text of the report.
    public func markdown(_ r: ResultsFile) -> String {
        var md: [String] = []
        let verdicts = r.claims.map { ReportFormat.verdict($0.result) }
        func count(_ v: String) -> Int { verdicts.filter { $0 == v }.count }
        md.append("# Attention-based PCA — reproducibility report")
        md.append("")
        md.append("Verification of the claims of *Attention-based PCA* (R. Maulen-Soto, C. Boyer, arXiv 2605.18315) by the attention-pca harness. Profile **\(r.profile.rawValue)**, root seed **\(r.rootSeed)**, started \(r.startedAt), duration \(ReportFormat.duration(r.durationSeconds)).")
        md.append("")
        md.append("**Overall: \(overall(r)).** \(r.claims.count) claims run: \(count("pass")) pass, \(count("fail")) fail, \(count("inconclusive")) inconclusive, \(count("error")) error, \(count("interrupted")) interrupted; \(r.notRun.count) not run. \(r.experiments.count) experiments reproduced.")
        if r.interrupted {
            md.append("")
            md.append("> **Interrupted.** The run was stopped by a signal (Ctrl-C or SIGTERM). Every completed trial is kept below; the interrupted claim has no verdict and later claims did not run.")
        }
        if let shards = r.mergedShards {
            md.append("")
            md.append("Merged from \(shards) shards; the verdicts are those an unsharded run with this seed gives.")
        }
        md.append("")
        md.append("## Summary")
        md.append("")
        if r.claims.isEmpty && r.notRun.isEmpty {
            md.append("No claims were run.")
        } else {
            md.append(errorControlStatement(r))
            md.append("")
            md.append("| Claim | Paper | Verdict | Statistic [interval] | α | β | Trials | Wall time |")
            md.append("|---|---|---|---|---|---|---|---|")
            for c in r.claims {
                let res = c.result
                var statistic = "–"
                if let s = res.statistic {
                    statistic = ReportFormat.number(s)
                    if let i = res.interval { statistic += " [\(ReportFormat.number(i.lower)), \(ReportFormat.number(i.upper))]" }
                } else if res.kind == .universal {
                    statistic = res.counterexample == nil ? "no counterexample" : "counterexample"
                }
                let alpha = res.kind == .statistical ? ReportFormat.number(res.falseFailRate) : "–"
                let beta = res.falsePassRate.map(ReportFormat.number) ?? "–"
                md.append("| [\(c.entry.id)](#\(anchor(c.entry.id))) | \(ReportFormat.cell(c.entry.paper)) | \(ReportFormat.verdictBadge(res)) | \(statistic) | \(alpha) | \(beta) | \(res.trials) | \(ReportFormat.duration(res.timing?.elapsedSeconds)) |")
            }
            for n in r.notRun {
                md.append("| \(n.id) | – | not run | \(ReportFormat.cell(n.reason)) | – | – | 0 | – |")
            }
        }
        if !r.experiments.isEmpty {
            md.append("")
            md.append("Experiments are judged on what the paper claims, the direction (final alignment |cos(mu, u_1)|, or with v in context; "
                + "counted as aligned at ≥ \(ReportFormat.number(ExperimentOutcome.alignedThreshold))), and separately on how far the norm and the risk "
                + "are from the optimum and whether the published step budget met the convergence criterion (GD: within 1% relative distance of ±mu*; "
                + "SGD: two consecutive 100-step window means within 0.1%). Excess risk is the share of the descent from the origin to the minimum still missing.")
            md.append("")
            md.append("| Experiment | Runs (paper) | Direction (the paper's claim) | Norm | Risk | Published budget | Wall time |")
            md.append("|---|---|---|---|---|---|---|")
            for e in r.experiments {
                let stride = e.sweepStride > 1 ? ", every \(e.sweepStride)th sweep point" : ""
                let columns = e.result == nil ? ["error", "–", "–", "–"] : [e.directionVerdict, e.normVerdict, e.riskVerdict, e.budgetVerdict]
                md.append("| [\(e.id)](#\(anchor("experiment-" + e.id))) \(ReportFormat.cell(e.title)) | \(e.runs) (\(e.publishedRuns))\(stride) | "
                    + columns.map(ReportFormat.cell).joined(separator: " | ") + " | \(ReportFormat.cell(e.wallTime)) |")
            }
        }
        md.append("")
        md.append("## Environment")
        md.append("")
        let env = r.environment
        md.append("| | |")
        md.append("|---|---|")
        md.append("| Swift | \(ReportFormat.cell(env.swiftVersion)) |")
        md.append("| OS | \(ReportFormat.cell(env.operatingSystem)) |")
        md.append("| CPU | \(ReportFormat.cell(env.cpuModel)), \(env.cores) cores; \(env.workers) worker threads |")
        md.append("| BLAS | \(ReportFormat.cell(env.blas)) |")
        md.append("| BLAS threading | \(ReportFormat.cell(env.blasThreading)) |")
        if let kernel = env.layerKernel { md.append("| Attention kernel | \(ReportFormat.cell(kernel)) (speed only: every instruction set gives bit-identical results) |") }
        md.append("| Source | git \(env.gitCommit)\(env.gitDirty == true ? " (with uncommitted changes)" : env.gitDirty == false ? " (clean)" : "") |")
        md.append("| Profile | \(r.profile.rawValue) |")
        md.append("| Root seed | \(r.rootSeed) |")
        md.append("| Started | \(r.startedAt) |")
        md.append("| Duration | \(ReportFormat.duration(r.durationSeconds)) |")
        md.append("| Command | `\(r.command)` |")

        if !r.claims.isEmpty {
            md.append("")
            md.append("## Claims")
            for c in r.claims { md += claimSection(c) }
        }
        if !r.experiments.isEmpty {
            md.append("")
            md.append("## Figures")
            md.append("")
            md.append("Each figure is drawn by the harness from the reproduced runs. Runs that share a label are drawn thin; the bold curve is their mean and the shaded band spans their minimum to maximum at each x.")
            for e in r.experiments { md += experimentSection(e) }
        }
        md.append("")
        md.append("## Reproduce")
        md.append("")
        md.append("```sh")
        md.append("scripts/with-blas swift build -c release")
        let command = r.reproduceCommand ?? r.command
        md.append(command.hasPrefix("scripts/with-blas") ? command : "scripts/with-blas " + command)
        md.append("```")
        md.append("")
        md.append("Machine-readable results: [results.json](results.json) (schemaVersion \(r.schemaVersion); see docs/REPORTS.md).")
        return md.joined(separator: "\n") + "\n"
    }

    /// The α and β in force, as applied: each statistical claim at its row's α (its catalogue's α,
    /// or the Bonferroni share of the run's limit if smaller), so the family-wise bound is their sum.
    func errorControlStatement(_ r: ResultsFile) -> String {
        let applied = r.claims.map(\.result).filter { $0.kind == .statistical }.map(\.falseFailRate)
        let limit = ReportFormat.number(r.familyFalseFailRate)
        guard !applied.isEmpty else {
            return "No statistical claim was run, so no sampling false-fail rate applies (limit α = \(limit)). Universal claims fail only on a counterexample; their false-pass rate is not quantified (see docs/ENGINE.md)."
        }
        let total = applied.reduce(0, +)
        let alphas = Set(applied).sorted().map(ReportFormat.number).joined(separator: " or ")
        return "Each of the \(applied.count) statistical claims was decided at the α in its row (\(alphas)): its catalogue's α, or its Bonferroni share \(ReportFormat.number(r.perClaimFalseFailRate)) of the run's limit α = \(limit) where that is smaller. The probability that any correct claim is reported as failing is therefore at most Σα = \(ReportFormat.number(total)). β is each claim's false-pass rate at its indifference alternative. Universal claims have no sampling α (they fail only on a counterexample, judged by a derived rounding or convergence tolerance); their false-pass rate is not quantified (see docs/ENGINE.md)."
    }

    func overall(_ r: ResultsFile) -> String {
        switch r.decision {
        case .holds: return "every claim run holds"
        case .fails: return "at least one claim fails"
        case .inconclusive: return r.interrupted ? "interrupted (partial results)" : "inconclusive (no claim fails, some have no verdict)"
        case .error: return "at least one claim could not be judged (error)"
        }
    }

    /// GitHub's heading anchor for a heading that starts with `id`.
    func anchor(_ id: String) -> String {
        String(id.lowercased().compactMap { c -> Character? in
            if c.isLetter || c.isNumber || c == "-" || c == "_" { return c }
            if c == " " { return "-" }
            return nil
        })
    }

    func section(_ s: CatalogueSection) -> [String] {
        s.entries.map { "- `\($0.key)`: \($0.value)" }
    }

    func claimSection(_ c: ClaimOutcome) -> [String] {
        let e = c.entry, res = c.result
        var md: [String] = ["", "### \(e.id)", "", "**\(e.title)** — \(e.paper). Verdict: **\(ReportFormat.verdict(res))** (\(res.kind.rawValue) claim, \(res.trials) trials, \(res.rejectedTrials) rejected).", ""]
        md.append("> \(e.statement.replacingOccurrences(of: "\n", with: "\n> "))")
        md.append("")
        md.append("*Statistic:* \(e.statistic)")
        if let claim = res.claim {
            md.append("")
            md.append("*Decision rule:* \(claim.description), sequential test with α = \(ReportFormat.number(res.falseFailRate)), β = \(ReportFormat.number(res.falsePassRate)); observed \(ReportFormat.number(res.statistic))" + (res.interval.map { ", \($0.method) \(ReportFormat.number($0.confidence * 100))% interval [\(ReportFormat.number($0.lower)), \(ReportFormat.number($0.upper))] (descriptive)" } ?? "") + (res.evidence.map { "; evidence ln LR = \(ReportFormat.number($0))" } ?? "") + ".")
        }
        md.append("")
        md.append("**Instance space (catalogue)**")
        md.append("")
        md += section(e.instances)
        md.append("")
        md.append("**Instance space actually covered** (\(res.trials) counted trials)")
        md.append("")
        if res.coverage.events.isEmpty && res.coverage.features.isEmpty {
            md.append("No coverage statistics were recorded.")
        } else {
            if !res.coverage.features.isEmpty {
                md.append("| Feature | n | min | q1 | median | q3 | max |")
                md.append("|---|---|---|---|---|---|---|")
                for f in res.coverage.features {
                    md.append("| \(ReportFormat.cell(f.name)) | \(f.count) | \(ReportFormat.number(f.minimum)) | \(ReportFormat.number(f.lowerQuartile)) | \(ReportFormat.number(f.median)) | \(ReportFormat.number(f.upperQuartile)) | \(ReportFormat.number(f.maximum)) |")
                }
            }
            if !res.coverage.events.isEmpty {
                let trials = res.coverage.trials ?? res.trials
                md.append("")
                md.append("| Event | trials | share of the \(trials) trials |")
                md.append("|---|---|---|")
                for ev in res.coverage.events {
                    let share = (res.coverage.share(of: ev) ?? (trials > 0 ? Double(ev.count) / Double(trials) : nil))
                        .map { String(format: "%.1f%%", 100 * $0) } ?? "–"
                    md.append("| \(ReportFormat.cell(ev.label)) | \(ev.count) | \(share) |")
                }
                md.append("")
                md.append("A trial carries one label per dimension of the instance space (for example its spectrum and its model), so the shares need not sum to 100%.")
            }
        }
        md.append("")
        md.append("**Protocol**")
        md.append("")
        md += section(e.method)
        md.append("")
        md.append("**Tolerance**")
        md.append("")
        md += section(e.tolerance).filter { !$0.hasPrefix("- `derivation`") }
        md.append("")
        md.append("*Derivation:* \(e.toleranceDerivation)")
        if let x = res.counterexample {
            md.append("")
            md.append("**Counterexample** (trial \(x.trial), shrunk in \(x.shrinkEvaluations) evaluations)")
            md.append("")
            md.append("- shrunk instance: `\(x.instance)`")
            md.append("- as first found: `\(x.originalInstance)`")
            for m in x.check.measurements { md.append("- \(m.description)") }
            if let t = x.thrownError { md.append("- threw: \(t)") }
        }
        let failed = res.decision == .fails || res.decision == .error
        if failed && !res.failingTrials.isEmpty {
            md.append("")
            md.append("Trials that counted against the claim (first \(res.failingTrials.count)): \(res.failingTrials.map(String.init).joined(separator: ", ")).")
        } else if !res.failingTrials.isEmpty, let statistic = res.statistic, res.claim != nil {
            // A rate or mean claim expects some unfavourable trials; they are not failures of the claim.
            md.append("")
            md.append("Individual trials vary around the statistic (\(ReportFormat.number(statistic))); the decision rule is about the \(res.claim.map { $0.kind == .rate ? "rate" : "mean" } ?? "statistic") over all \(res.trials) trials, so unfavourable single trials are expected and are not failures.")
        }
        if let t = res.targetedSearch {
            md.append("")
            md.append("**Targeted search** (docs/ENGINE.md): \(t.steps) steps after the random trials (\(t.rejected) rejected) climbed '\(t.label)' "
                      + "from \(ReportFormat.number(t.randomBest)), the random trials' best, to \(ReportFormat.number(t.best))"
                      + (t.failingStep.map { "; step \($0 + 1) failed." } ?? "; every step passed."))
        }
        let warnings = res.warnings + (res.timing?.warnings ?? [])
        if !warnings.isEmpty {
            md.append("")
            md.append("**Warnings**")
            md.append("")
            for w in warnings { md.append("- \(w)") }
        }
        md.append("")
        md.append(res.counterexample != nil && res.targetedSearch?.failingStep == nil ? "Reproduce the counterexample's trial:" : failed ? "Reproduce this verdict (the whole claim, same seed):" : "Rerun this claim:")
        md.append("")
        md.append("```sh")
        md.append(res.replayCommand)
        md.append("```")
        return md
    }

    func experimentSection(_ e: ExperimentOutcome) -> [String] {
        var md: [String] = ["", "### experiment \(e.id)", "", "**\(e.title).** Published parameters: \(e.parameters.hasSuffix(".") ? String(e.parameters.dropLast()) : e.parameters). Runs: \(e.runs) (paper: \(e.publishedRuns))\(e.sweepStride > 1 ? ", every \(e.sweepStride)th point of the published sweep" : ""); seed \(e.seed); wall time \(e.wallTime).", "", "- **Direction** (the paper's claim): \(e.directionVerdict)", "- **Norm** against the optimum: \(e.normVerdict)", "- **Risk** against the minimum: \(e.riskVerdict)", "- **Published step budget:** \(e.budgetVerdict)"]
        if let error = e.error {
            md.append("")
            md.append("The experiment failed: \(error)")
        }
        guard let result = e.result else { return md }
        for figure in result.figures {
            md.append("")
            md.append("![\(figure.title)](figures/\(Self.fileName(figure.id)).svg)")
            md.append("")
            md.append("*\(figure.caption)*")
        }
        md.append("")
        md.append(result.summary)
        md.append("")
        if let spread = e.spread {
            md.append(spread.markdown)
        } else {
            md.append("*These numbers belong to the one covariance drawn by seed \(e.seed); `--seeds N` adds their spread over N draws.*")
        }
        if !result.runs.isEmpty {
            md.append("")
            md.append("<details><summary>Per-run verdicts (\(result.runs.count))</summary>")
            md.append("")
            md.append("| Run | Final alignment | \\|mu\\|/\\|mu*\\| | Excess risk | Relative distance | Budget outcome | Steps taken | Steps needed |")
            md.append("|---|---|---|---|---|---|---|---|")
            for run in result.runs {
                let outcome = run.outcome == .converged ? "converged" : (run.diagnosis?.rawValue ?? run.outcome.rawValue)
                md.append("| \(ReportFormat.cell(run.label)) | \(ReportFormat.number(run.finalAlignment)) | \(ReportFormat.number(run.normRatio)) | \(ReportFormat.number(run.excessRisk)) | \(ReportFormat.number(run.relativeDistance)) | \(outcome) | \(run.stepsTaken) | \(run.stepsNeeded.map(String.init) ?? "–") |")
            }
            md.append("")
            md.append("</details>")
        }
        return md
    }
}
