/// The verdict on one property.
public enum Decision: String, Codable, Sendable {
    /// The property held (universal: no counterexample; statistical: accepted at β).
    case holds
    /// The property failed (universal: a counterexample; statistical: rejected at α).
    case fails
    /// The budget ran out before the sequential test decided; never counts as passing.
    case inconclusive
    /// The property could not be judged (bad claim, failed health check, bad outcome).
    case error
}

/// Universal or statistical.
public enum PropertyKind: String, Codable, Sendable { case universal, statistical }

/// A statistical interval with its confidence and how it was computed.
public struct Interval: Codable, Equatable, Sendable {
    /// Lower end.
    public let lower: Double
    /// Upper end.
    public let upper: Double
    /// Two-sided confidence level.
    public let confidence: Double
    /// E.g. "Clopper–Pearson" or "Student t"; fixed-n intervals are descriptive (see ENGINE.md).
    public let method: String
}

/// A minimal failing instance of a universal property.
public struct Counterexample: Codable, Equatable, Sendable {
    /// The trial whose instance first failed.
    public let trial: Int
    /// The shrunk instance, described.
    public let instance: String
    /// The instance as first found, before shrinking.
    public let originalInstance: String
    /// The measurements on the shrunk instance, with their tolerances.
    public let check: Check
    /// The error thrown by the property on the shrunk instance, if it threw.
    public let thrownError: String?
    /// The shrunk choice sequence (what the regressions file stores).
    public let choices: [UInt64]
    /// Property evaluations spent shrinking.
    public let shrinkEvaluations: Int
}

/// Wall-clock facts about a run; not part of a result's deterministic content.
public struct Timing: Codable, Equatable, Sendable {
    /// Seconds for the whole property.
    public var elapsedSeconds: Double
    /// Seconds of the slowest counted trial.
    public var slowestTrialSeconds: Double
    /// Health warnings about speed.
    public var warnings: [String]
}

/// The structured outcome of running one property: decision, statistic, interval, error
/// rates, trial counts, counterexample, coverage, warnings and the reproduction command.
/// Codable, for the report generator and the CLI.
public struct PropertyResult: Codable, Equatable, Sendable {
    /// The property's name.
    public var name: String
    /// Universal or statistical.
    public var kind: PropertyKind
    /// The verdict.
    public var decision: Decision
    /// The profile run.
    public var profile: Profile
    /// The root seed.
    public var rootSeed: UInt64
    /// Trials counted toward the verdict (rejected trials excluded).
    public var trials: Int
    /// Trials rejected by filters or `assume`.
    public var rejectedTrials: Int
    /// The claim (statistical properties).
    public var claim: Claim?
    /// Observed rate or mean (statistical), nil for universal.
    public var statistic: Double?
    /// Descriptive interval for the statistic at confidence 1 − α (statistical).
    public var interval: Interval?
    /// The false-fail rate the verdict is held to (0 for universal: no sampling error).
    public var falseFailRate: Double
    /// The false-pass rate (for universal: unknown, 1 − coverage; reported as nil).
    public var falsePassRate: Double?
    /// The sequential test's final log likelihood ratio (statistical).
    public var evidence: Double?
    /// The minimal counterexample (universal failures).
    public var counterexample: Counterexample?
    /// The first failing trials of a statistical property (at most 10), for replay.
    public var failingTrials: [Int]
    /// What was generated.
    public var coverage: Coverage
    /// Deterministic health warnings (rejections, budget design, errors).
    public var warnings: [String]
    /// The health check that made the run an error, if one did (its message is in `warnings`):
    /// a structured kind, so tools (the mutation self-check) need not match message text.
    public var failedHealthCheck: HealthCheck?
    /// A health check whose failure makes a run an error rather than a verdict.
    public enum HealthCheck: String, Codable, Sendable {
        /// Two trials drew the same choice sequence: their randomness is shared.
        case sharedRandomness = "shared-randomness"
        /// Far more trials were rejected than the allowance.
        case tooManyRejections = "too-many-rejections"
    }
    /// The one command that reproduces this result (a failing trial if there is one).
    public var replayCommand: String
    /// Wall-clock facts, excluded by `withoutTiming()` for exact comparisons.
    public var timing: Timing?
    /// True when the user stopped the run (Ctrl-C) before the property decided; the decision
    /// is then `.inconclusive` and `trials` counts the completed trials. Nil otherwise.
    public var interrupted: Bool?
    /// What targeted search did, for a universal property with targeting on (nil otherwise).
    public var targetedSearch: TargetedSearchSummary?

    /// Targeted search's statistics (as Hypothesis reports its targets): the score, its best
    /// value among the random trials and after the search, and the steps it took.
    public struct TargetedSearchSummary: Codable, Equatable, Sendable, CustomStringConvertible {
        /// The score's label (`TrialLog.target`).
        public let label: String
        /// The highest score among the random trials.
        public let randomBest: Double
        /// The highest score after the search (a failure ends it early).
        public internal(set) var best: Double
        /// Steps taken, and how many of them drew a rejected instance.
        public internal(set) var steps: Int
        public internal(set) var rejected: Int
        /// The step that failed, if one did.
        public internal(set) var failingStep: Int?

        public var description: String {
            "targeted search on '\(label)': \(steps) steps (\(rejected) rejected) raised its best from \(randomBest) (random trials) to \(best)"
                + (failingStep.map { "; step \($0) failed" } ?? "")
        }
    }

    /// This result with `timing` removed: everything left depends only on the seed.
    public func withoutTiming() -> PropertyResult {
        var copy = self
        copy.timing = nil
        return copy
    }

    /// A multi-line human summary: verdict, statistics, counterexample, coverage, replay line.
    public var summary: String {
        var lines = ["\(name) [\(kind.rawValue)]: \(decision.rawValue.uppercased()) after \(trials) trials (\(rejectedTrials) rejected), profile \(profile.rawValue), seed \(rootSeed)"]
        if let claim {
            lines.append("  claim \(claim); α = \(falseFailRate), β = \(falsePassRate ?? .nan); evidence ln LR = \(evidence ?? .nan)")
        }
        if let statistic { lines.append("  statistic \(statistic)") }
        if let interval {
            lines.append("  \(interval.method) \(Int((interval.confidence * 1000).rounded()) / 10)% interval [\(interval.lower), \(interval.upper)]")
        }
        if let c = counterexample {
            lines.append("  counterexample (trial \(c.trial), shrunk in \(c.shrinkEvaluations) evaluations): \(c.instance)")
            for m in c.check.measurements { lines.append("    \(m)") }
            if let e = c.thrownError { lines.append("    threw: \(e)") }
        }
        if !failingTrials.isEmpty { lines.append("  failing trials: \(failingTrials)") }
        for w in warnings + (timing?.warnings ?? []) { lines.append("  warning: \(w)") }
        if let targetedSearch { lines.append("  \(targetedSearch)") }
        if !coverage.events.isEmpty || !coverage.features.isEmpty { lines.append("  coverage:\n\(coverage.table)") }
        lines.append("  reproduce: \(replayCommand)")
        if let trial = counterexample?.trial ?? failingTrials.first {
            lines.append("  in Swift: var settings = Settings(profile: .\(profile.rawValue), rootSeed: \(rootSeed)); settings.replay = ReplayRequest(property: \"\(name)\", trial: \(trial))")
        }
        return lines.joined(separator: "\n")
    }
}
