import Foundation
import PropertyEngine

/// The mutation self-check: plants each bug of `PlantedBug.all` in turn, runs the claims it
/// concerns, and records which claim caught it, after how many trials, with what evidence
/// (the shrunk counterexample, the rejected statistic or the health failure) and, on request,
/// the claim's power against it. A harness whose claims pass with a bug in place is not a check.
public enum MutationSelfCheck {
    /// What one claim did against one planted bug.
    public struct Outcome: Codable, Equatable, Sendable {
        /// The bug's id.
        public let bug: String
        /// The claim's id.
        public let claim: String
        /// The claim's verdict under the bug.
        public let decision: Decision
        /// Whether the claim caught the bug (*fails*, or for engine faults the health failure).
        public let caught: Bool
        /// Trials counted up to the verdict.
        public let trials: Int
        /// The evidence, in a line: the shrunk counterexample, the statistic or the health failure.
        public let evidence: String
        /// The command that reproduces the verdict.
        public let reproduce: String
        /// The claim's power against the bug within its budget (when requested and meaningful).
        public let power: PowerEstimate?
    }

    /// Plants every bug of `bugs` under the claims it concerns; `withPower` also surveys each
    /// (claim, wrong model) over its whole budget and computes the power (see `PowerAnalysis`).
    public static func run(_ catalogue: ClaimCatalogue, bugs: [PlantedBug], settings: Settings, withPower: Bool,
                           falseFailRate: Double? = nil, progress: ((String) -> Void)? = nil) throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for bug in bugs {
            for entry in bug.claims(in: catalogue) {
                if settings.cancellation?.isCancelled == true { return outcomes }
                progress?("\(bug.id) under \(entry.id)")
                let sabotage: Sabotage? = if case .wrongModel(let s) = bug.plant { s } else { nil }
                let property = try PaperClaims.property(for: entry, sabotage: sabotage)
                let planted = bug.plantedSettings(settings)
                var survey: Survey?
                if withPower, sabotage != nil { survey = property.survey(trials: nil, settings: planted) }
                let result = property.decide(survey?.records ?? [], settings: planted, falseFailRate: falseFailRate)
                let caught: Bool
                switch bug.plant {
                case .wrongModel: caught = result.decision == .fails
                case .sharedTrialStreams:
                    caught = result.decision == .error && result.failedHealthCheck == .sharedRandomness
                }
                outcomes.append(Outcome(
                    bug: bug.id, claim: entry.id, decision: result.decision, caught: caught,
                    trials: result.counterexample.map { $0.trial + 1 } ?? result.trials,
                    evidence: evidence(result), reproduce: result.replayCommand,
                    power: survey.flatMap { PowerAnalysis.estimate($0, falseFailRate: falseFailRate) }))
            }
        }
        return outcomes
    }

    /// The one line that shows why a verdict was reached.
    static func evidence(_ result: PropertyResult) -> String {
        if result.decision == .error, let warning = result.warnings.first(where: { $0.hasPrefix("health check") || $0.contains("threw") }) {
            // The health message without its reproduction commands (the row has its own).
            let message = warning.components(separatedBy: " — reproduce:").first ?? warning
            return String(message.prefix(240))
        }
        if let c = result.counterexample {
            let failed = c.check.measurements.filter { !$0.passed }.map(\.description).first ?? c.thrownError ?? "check failed"
            return "\(c.instance) — \(failed)"
        }
        if let statistic = result.statistic, let claim = result.claim {
            return "statistic \(statistic) against \(claim), ln LR \(result.evidence ?? .nan)"
        }
        return result.warnings.first ?? ""
    }
}
