import Foundation
import PaperClaims
import PropertyEngine

/// The mutation self-check's result as a reader sees it: one row per (planted bug, claim) with
/// the verdict, trials to catch, evidence and reproduction command, then the power of each
/// claim against each wrong model where it was computed. Codable (self-check.json).
public struct SelfCheckTable: Codable, Sendable {
    /// Every (bug, claim) outcome.
    public let outcomes: [MutationSelfCheck.Outcome]
    /// Bug ids with their one-sentence summaries, in planting order.
    public let bugs: [BugSummary]
    /// The profile the claims ran under.
    public let profile: Profile
    /// The root seed.
    public let seed: UInt64
    /// Wall-clock seconds of the whole self-check.
    public let seconds: Double
    /// The least acceptable power.
    public let requiredPower: Double
    /// The command line that produced it.
    public let command: String
    /// The machine and libraries.
    public let environment: RunEnvironment

    /// A planted bug's id and summary.
    public struct BugSummary: Codable, Equatable, Sendable {
        /// The bug's id.
        public let id: String
        /// What the bug is.
        public let summary: String
    }

    /// Assembles the table.
    public init(outcomes: [MutationSelfCheck.Outcome], bugs: [PlantedBug], profile: Profile, seed: UInt64, seconds: Double,
                requiredPower: Double, command: String, environment: RunEnvironment) {
        self.outcomes = outcomes
        self.bugs = bugs.map { BugSummary(id: $0.id, summary: $0.summary) }
        self.profile = profile
        self.seed = seed
        self.seconds = seconds
        self.requiredPower = requiredPower
        self.command = command
        self.environment = environment
    }

    /// Whether every planted bug was caught by at least one claim it was planted under.
    public var allCaught: Bool { bugs.allSatisfy { bug in outcomes.contains { $0.bug == bug.id && $0.caught } } }

    /// Whether every claim caught its wrong model, and every computed power meets the requirement.
    public var allPowerful: Bool {
        outcomes.allSatisfy { o in o.power.map { $0.power >= requiredPower && o.caught } ?? true }
    }

    /// The Markdown rendering (SELF-CHECK.md).
    public var markdown: String { markdown(heading: "#") }

    /// The Markdown rendering with its headings at `heading` ("#" for a file of its own, "##"
    /// inside a report).
    public func markdown(heading: String) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var lines = ["\(heading) Mutation self-check: planted bugs and the power of the negative controls", ""]
        let caught = bugs.filter { bug in outcomes.contains { $0.bug == bug.id && $0.caught } }.count
        lines.append("\(caught) of \(bugs.count) planted bugs caught; profile \(profile.rawValue), seed \(seed), \(ReportFormat.duration(seconds)) on \(environment.cpuModel) (\(environment.cores) cores, \(environment.blas)).")
        lines.append("Command: `\(command)`")
        lines.append("")
        lines.append("| bug | claim | verdict | caught | trials to catch | evidence (shrunk counterexample, statistic or health failure) |")
        lines.append("|---|---|---|---|---|---|")
        for o in outcomes {
            lines.append("| \(o.bug) | \(o.claim) | \(o.decision.rawValue) | \(o.caught ? "yes" : "**NO**") | \(o.trials) | \(cell(o.evidence)) |")
        }
        lines.append("")
        lines.append("Bugs:")
        for b in bugs { lines.append("- `\(b.id)`: \(b.summary)") }
        let powered = outcomes.filter { $0.power != nil }
        if !powered.isEmpty {
            lines.append("")
            lines.append("\(heading)# Power of each claim against each wrong model")
            lines.append("")
            lines.append("Power = P(the claim says *fails* within its \(profile.rawValue) budget), at the least favourable end of the wrong model's measured effect (one-sided 95% bound, over every trial of the budget); required ≥ \(requiredPower). Universal: 1 − (1 − q)^budget; statistical rate: the sequential test's exact operating characteristic; statistical mean: the sequential test on \(PowerAnalysis.bootstrapReplicates) resamples of the measured outcomes.")
            lines.append("")
            lines.append("| claim | wrong model | measured effect | 95% bound | expected trials to reject | budget | power | meets \(requiredPower) |")
            lines.append("|---|---|---|---|---|---|---|---|")
            for o in powered {
                let p = o.power!
                let expected = p.expectedTrials.isFinite ? ReportFormat.number(p.expectedTrials) : "∞"
                lines.append("| \(o.claim) | \(o.bug) | \(p.effectName) \(ReportFormat.number(p.effect)) | \(ReportFormat.number(p.effectBound)) | \(expected) | \(p.budget) | \(Self.powerText(p)) | \(p.power >= requiredPower ? "yes" : "**NO**") |")
            }
        }
        lines.append("")
        lines.append("Reproduce a row: the claim's command with the bug planted is `attention-pca self-check --bug <bug> --profile \(profile.rawValue) --seed \(seed)`.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Power as printed, true as printed: "1 − 2e-9" near 1 so the margin stays visible; an
    /// exact computation that rounds to 1 is "> 1 − 1e-15"; a bootstrap in which every resample
    /// failed gives only its 95% lower bound.
    static func powerText(_ estimate: PowerEstimate) -> String {
        let p = estimate.power
        if estimate.effectName == "mean outcome" {
            let n = Double(PowerAnalysis.bootstrapReplicates)
            if p >= 1 { return "≥ \(ReportFormat.number(pow(0.05, 1 / n))) (all \(PowerAnalysis.bootstrapReplicates) resamples failed; 95% bound)" }
            return "\(ReportFormat.number(p)) ± \(ReportFormat.number((p * (1 - p) / n).squareRoot())) (bootstrap)"
        }
        if p >= 1 { return "> 1 − 1e-15" }
        if 1 - p < 1e-4 { return "1 − \(ReportFormat.number(1 - p))" }
        return ReportFormat.number(p)
    }
}
