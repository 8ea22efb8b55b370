import Foundation
import PaperClaims
import PropertyEngine

/// The machine-readable results of a run (`results.json`), the input of `compare`, `report
/// --from` and the nightly regression check. Versioned: `schemaVersion` changes whenever a
/// field changes meaning or is removed; readers refuse versions they do not know.
/// The schema is documented field by field in docs/REPORTS.md.
public struct ResultsFile: Codable, Equatable, Sendable {
    /// The schema version this tool writes and reads.
    public static let currentSchemaVersion = 1

    /// The schema version of this file.
    public var schemaVersion: Int
    /// The command that produced the file (for the record; replay commands are per claim).
    public var command: String
    /// The command that reproduces the run: `command` with the profile and the seed it drew made
    /// explicit and the output pointing at where the report was written (nil in older files).
    public var reproduceCommand: String?
    /// Start of the run, ISO 8601 in UTC.
    public var startedAt: String
    /// Wall-clock seconds of the whole run.
    public var durationSeconds: Double
    /// Where the run happened.
    public var environment: RunEnvironment
    /// The profile.
    public var profile: Profile
    /// The root seed of every claim and experiment.
    public var rootSeed: UInt64
    /// The family-wise false-fail rate of the run.
    public var familyFalseFailRate: Double
    /// The α each statistical claim was held to (Bonferroni share).
    public var perClaimFalseFailRate: Double
    /// True if the user stopped the run (Ctrl-C): completed trials are kept, verdicts are partial.
    public var interrupted: Bool
    /// If the run was merged from shards, how many.
    public var mergedShards: Int?
    /// One entry per claim that ran, in catalogue order.
    public var claims: [ClaimOutcome]
    /// Claims selected but not run, with the reason (interrupted, no implementation, ...).
    public var notRun: [NotRun]
    /// The experiments run (figures), in the order given.
    public var experiments: [ExperimentOutcome]

    /// A results file from its parts (schemaVersion is the current one).
    public init(command: String, startedAt: Date, durationSeconds: Double, environment: RunEnvironment,
                profile: Profile, rootSeed: UInt64, familyFalseFailRate: Double, perClaimFalseFailRate: Double,
                interrupted: Bool, mergedShards: Int? = nil, claims: [ClaimOutcome], notRun: [NotRun],
                experiments: [ExperimentOutcome]) {
        self.schemaVersion = Self.currentSchemaVersion
        self.command = command
        self.startedAt = Self.timestamp(startedAt)
        self.durationSeconds = durationSeconds
        self.environment = environment
        self.profile = profile
        self.rootSeed = rootSeed
        self.familyFalseFailRate = familyFalseFailRate
        self.perClaimFalseFailRate = perClaimFalseFailRate
        self.interrupted = interrupted
        self.mergedShards = mergedShards
        self.claims = claims
        self.notRun = notRun
        self.experiments = experiments
    }

    /// "2026-05-18T09:30:00Z".
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Reads a results file (or the `results.json` inside a report folder), checking the schema version.
    public static func read(from url: URL) throws(ReportsError) -> ResultsFile {
        var file = url
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            file = url.appendingPathComponent("results.json")
        }
        struct Version: Decodable { let schemaVersion: Int? }
        let version = try JSONFormat.read(Version.self, from: file, what: "a results file")
        guard let found = version.schemaVersion else {
            throw .unreadableFile(path: file.path, problem: "not a results file: field 'schemaVersion' is missing")
        }
        guard found == currentSchemaVersion else {
            throw .unsupportedSchema(path: file.path, found: found, supported: currentSchemaVersion)
        }
        return try JSONFormat.read(ResultsFile.self, from: file, what: "a results file (schemaVersion \(found))")
    }

    /// The JSON bytes (sorted keys, newline-terminated).
    public func encoded() throws -> Data { try JSONFormat.data(self) }

    /// The fields that record how a run went rather than what it found, and so differ between an
    /// uninterrupted run, a resumed one and a merged one with the same seed: `startedAt`,
    /// `durationSeconds`, `environment`, `command`, `reproduceCommand`, `mergedShards`, every
    /// claim's `result.timing`, every experiment's `seconds` and `units` (docs/REPORTS.md).
    public static let runRecordFields = ["startedAt", "durationSeconds", "environment", "command", "reproduceCommand", "mergedShards",
                                         "claims[].result.timing", "experiments[].seconds", "experiments[].units"]

    /// The JSON bytes without `runRecordFields`: equal for runs that found the same things.
    public func findings() throws -> Data {
        var copy = self
        copy.startedAt = ""
        copy.durationSeconds = 0
        copy.environment = RunEnvironment(swiftVersion: "", operatingSystem: "", cpuModel: "", cores: 0, workers: 0, blas: "",
                                          blasThreading: "", layerKernel: nil, gitCommit: "", gitDirty: nil)
        copy.command = ""
        copy.reproduceCommand = nil
        copy.mergedShards = nil
        for i in copy.claims.indices { copy.claims[i].result = copy.claims[i].result.withoutTiming() }
        for i in copy.experiments.indices {
            copy.experiments[i].seconds = 0
            copy.experiments[i].units = nil
        }
        return try JSONFormat.data(copy)
    }

    /// Holds if every claim holds and nothing was skipped; fails if any claim fails; etc.
    public var decision: Decision {
        let decisions = claims.map(\.result.decision)
        if decisions.contains(.error) { return .error }
        if decisions.contains(.fails) { return .fails }
        if decisions.contains(.inconclusive) || interrupted || !notRun.isEmpty { return .inconclusive }
        return .holds
    }
}

/// One claim's verdict with the catalogue entry it checked (statement, instances, tolerance
/// and its derivation), so a report can be rebuilt from `results.json` alone.
public struct ClaimOutcome: Codable, Equatable, Sendable {
    /// The catalogue entry.
    public var entry: ClaimEntry
    /// The engine's result (decision, statistic, interval, α, β, trials, coverage, counterexample, replay).
    public var result: PropertyResult

    /// A claim's outcome.
    public init(entry: ClaimEntry, result: PropertyResult) {
        self.entry = entry
        self.result = result
    }
}

/// A claim selected for the run that did not run, and why.
public struct NotRun: Codable, Equatable, Sendable {
    /// The claim's id.
    public var id: String
    /// Why, in a sentence.
    public var reason: String

    /// A not-run entry.
    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }
}

/// One experiment's reproduction: its parameters, the options it ran with, its figures and
/// per-run convergence verdicts (or the error that stopped it).
public struct ExperimentOutcome: Codable, Equatable, Sendable {
    /// The experiment's id (e.g. `fig3b`).
    public var id: String
    /// What it shows.
    public var title: String
    /// The published parameters.
    public var parameters: String
    /// Runs per configuration in the paper.
    public var publishedRuns: Int
    /// Runs per configuration here.
    public var runs: Int
    /// Every k-th sweep point was used.
    public var sweepStride: Int
    /// The seed.
    public var seed: UInt64
    /// Wall-clock seconds.
    public var seconds: Double
    /// The figures and run verdicts; nil if the experiment failed.
    public var result: ExperimentResult?
    /// Why the experiment failed, if it did.
    public var error: String?
    /// The headline numbers under further seeds (further draws of S), when asked for (`--seeds N`).
    public var spread: SeedSpread?
    /// How its runs were obtained (computed, resumed from a journal or shards, shared with an
    /// earlier experiment), which says what `seconds` measured; nil in files written before it was kept.
    public var units: RunLedger.UnitCounts?

    /// An experiment outcome.
    public init(id: String, title: String, parameters: String, publishedRuns: Int, runs: Int, sweepStride: Int,
                seed: UInt64, seconds: Double, result: ExperimentResult?, error: String?) {
        self.id = id
        self.title = title
        self.parameters = parameters
        self.publishedRuns = publishedRuns
        self.runs = runs
        self.sweepStride = sweepStride
        self.seed = seed
        self.seconds = seconds
        self.result = result
        self.error = error
    }

    /// The alignment at which a run counts as pointing along ±u_1 (or ±v) in the verdict: a
    /// reporting convention (within 8.1 degrees), stated with every verdict; the numbers are shown too.
    public static let alignedThreshold = 0.99

    /// The wall time and what it measured: "2.1 s", or, when not every run was computed here,
    /// "9 ms (0 runs computed; 10 shared with an earlier experiment)".
    public var wallTime: String {
        let time = ReportFormat.duration(seconds)
        guard let u = units, u.resumed + u.shared + u.skipped > 0 else { return time }
        var parts: [String] = []
        if u.resumed > 0 { parts.append("\(u.resumed) resumed from the journal or shards") }
        if u.shared > 0 { parts.append("\(u.shared) shared with an earlier experiment") }
        if u.skipped > 0 { parts.append("\(u.skipped) left to other shards") }
        return "\(time) (\(u.computed) runs computed; " + parts.joined(separator: ", ") + ")"
    }

    /// What the paper claims, the direction: "alignment median 0.9963 (min 0.9939), ≥ 0.99 in 2 of 2 runs".
    public var directionVerdict: String {
        let finals = (result?.runs ?? []).map(\.finalAlignment).filter(\.isFinite)
        guard !finals.isEmpty else { return "–" }
        let aligned = finals.filter { $0 >= Self.alignedThreshold }.count
        return "alignment median \(ReportFormat.number(SeedSpread.quantile(finals, 0.5))) (min \(ReportFormat.number(finals.min()!))), "
            + "≥ \(ReportFormat.number(Self.alignedThreshold)) in \(aligned) of \(result!.runs.count) runs"
    }

    /// How far the norm is from the optimum's: "|mu|/|mu*| median 0.98 (0.83–1)", or "–" where no optimum is known.
    public var normVerdict: String {
        let ratios = (result?.runs ?? []).compactMap(\.normRatio).filter(\.isFinite)
        guard !ratios.isEmpty else { return "–" }
        return "|mu|/|mu*| median \(ReportFormat.number(SeedSpread.quantile(ratios, 0.5))) (\(ReportFormat.number(ratios.min()!))–\(ReportFormat.number(ratios.max()!)))"
    }

    /// How far the risk is from the minimum, as the share of the descent from the origin still
    /// missing: "excess risk median 2e-4 (max 0.01)", or "–" where the risk has no closed form.
    public var riskVerdict: String {
        let excess = (result?.runs ?? []).compactMap(\.excessRisk).filter(\.isFinite)
        guard !excess.isEmpty else { return "–" }
        return "excess risk median \(ReportFormat.number(SeedSpread.quantile(excess, 0.5))) (max \(ReportFormat.number(excess.max()!)))"
    }

    /// What the published step budget achieved: how many runs met the convergence criterion, and
    /// why the others did not (still moving, oscillating at an unstable step, near a wrong critical point, diverged).
    public var budgetVerdict: String {
        guard let result else { return "error" }
        let runs = result.runs
        guard !runs.isEmpty else { return "no runs" }
        let converged = runs.filter { $0.outcome == .converged }.count
        var parts = ["\(converged) of \(runs.count) met the convergence criterion"]
        let reasons: [(AuditedRun.Diagnosis, String)] = [(.notConvergedYet, "still moving (not converged yet)"),
                                                         (.unstableStep, "oscillating (step ≥ 2/h_max)"),
                                                         (.wrongCriticalPoint, "near a saddle or the origin"),
                                                         (.diverged, "diverged")]
        for (diagnosis, text) in reasons {
            let count = runs.filter { $0.outcome != .converged && ($0.diagnosis ?? ($0.outcome == .diverged ? .diverged : .notConvergedYet)) == diagnosis }.count
            if count > 0 { parts.append("\(count) \(text)") }
        }
        return parts.joined(separator: "; ")
    }

    /// The whole verdict in one line: direction, norm, risk and budget, each stated separately.
    public var verdict: String {
        guard result != nil else { return "error" }
        return ["direction: \(directionVerdict)", "norm: \(normVerdict)", "risk: \(riskVerdict)", "budget: \(budgetVerdict)"]
            .filter { !$0.hasSuffix(": –") }.joined(separator: "; ")
    }
}
