import ArgumentParser
import Foundation
import PaperClaims
import PropertyEngine
import Reports

/// Options shared by the commands that run claims: profile, seed, workers, α, catalogue.
struct RunOptions: ParsableArguments {
    @Option(help: "Budget profile: quick (fixed seed, minutes), nightly (fresh seed, larger budgets) or paper (fixed seed, the paper's budgets).")
    var profile: Profile = .quick

    @Option(parsing: .unconditional, help: "Root seed, decimal or 0x-hex (default: the profile's; nightly draws a fresh one and reports it).",
            transform: parseSeed)
    var seed: UInt64?

    @Option(help: "Worker threads for trials (default: all cores). Verdicts do not depend on it.")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Family-wise false-fail rate of the run, split over the statistical claims (Bonferroni).")
    var alpha: Double = PaperClaims.defaultFamilyFalseFailRate

    @Option(name: [.customLong("properties"), .customLong("catalogue")],
            help: "The claims folder, Properties/ (default: Properties/ above the current directory, or $ATTENTION_PCA_PROPERTIES; --catalogue is an alias).")
    var catalogue: String?

    @Option(help: "Run every claim that ranges over covariances on this covariance matrix instead (CSV or .npy, symmetric, positive semidefinite; singular is fine).")
    var covariance: String?

    @Option(help: "Run every claim that ranges over covariances on the 1/n covariance of this data matrix instead (rows = samples; CSV or .npy).")
    var data: String?

    @Flag(help: "With --data: scale each column to unit variance first.")
    var standardise = false

    mutating func validate() throws {
        workers = try cappedWorkers(workers)
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must lie in (0, 1), got \(alpha)") }
        guard covariance == nil || data == nil else { throw ValidationError("give --covariance or --data, not both") }
        guard !standardise || data != nil else { throw ValidationError("--standardise applies to --data only") }
        for path in [covariance, data].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: path) {
            throw ValidationError("cannot read '\(path)': no such readable file")
        }
    }

    /// The options that choose the user's covariance, as typed (for reproduction commands).
    var covarianceArguments: String {
        if let covariance { return " --covariance '\(covariance)'" }
        if let data { return " --data '\(data)'" + (standardise ? " --standardise" : "") }
        return ""
    }

    /// The engine settings, with the CLI's own replay command and Ctrl-C cancellation.
    func settings(cancellation: CancellationFlag?) -> Settings {
        var s = Settings(profile: profile, rootSeed: seed, workers: workers)
        let binary = CommandLine.arguments.first.map { $0.contains("/") ? $0 : ".build/release/attention-pca" } ?? ".build/release/attention-pca"
        let catalogueOption = (catalogue.map { " --properties '\($0)'" } ?? "") + covarianceArguments
        s.replayTemplate = "scripts/with-blas \(binary) verify --claim {property} --profile {profile} --seed {seed}\(catalogueOption) --trial {trial}"
        s.rerunTemplate = "scripts/with-blas \(binary) verify --claim {property} --profile {profile} --seed {seed}\(catalogueOption)"
        s.cancellation = cancellation
        return s
    }

    /// The digest of the --covariance or --data file's bytes and how it is read, for the journal
    /// and shard headers (nil without one): a file edited between a run and its resume, or
    /// between shards, is refused rather than mixed.
    func inputDigest() throws -> String? {
        if let covariance { return try RunJournal.Header.inputDigest(path: covariance, kind: "covariance") }
        if let data { return try RunJournal.Header.inputDigest(path: data, kind: standardise ? "data, standardised" : "data") }
        return nil
    }

    /// The claims catalogue; with --covariance or --data, the claims that range over covariances
    /// run on the user's (the others are left out with a note, or refused if `requested` names one).
    func loadCatalogue(requested: [String] = []) throws -> ClaimCatalogue {
        let folder = try catalogue.map { URL(fileURLWithPath: $0) } ?? ClaimCatalogue.defaultFolder()
        let loaded = try ClaimCatalogue.load(from: folder)
        guard let file = covariance ?? data else { return loaded }
        let (chosen, excluded) = try loaded.usingCovariance(file: file, isData: data != nil, standardise: standardise)
        if let left = excluded.first(where: { requested.contains($0.id) }) {
            throw ValidationError("claim '\(left.id)' cannot run on \(file): \(left.reason)")
        }
        if requested.isEmpty, !excluded.isEmpty {
            let list = excluded.map { "\($0.id) (\($0.reason))" }.joined(separator: "; ")
            FileHandle.standardError.write(Data("note: \(file) is used by \(chosen.entries.count) claims; left out: \(list)\n".utf8))
        }
        return chosen
    }
}

/// `requested` worker threads, at least 1 and at most the core count: more threads than cores
/// only add contention (verdicts never depend on the count), so a larger request is capped with a note.
func cappedWorkers(_ requested: Int) throws -> Int {
    guard requested >= 1 else { throw ValidationError("--workers must be at least 1, got \(requested)") }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard requested > cores else { return requested }
    FileHandle.standardError.write(Data("note: --workers \(requested) capped at \(cores), the number of cores (verdicts do not depend on it)\n".utf8))
    return cores
}

/// Parses a decimal or 0x-hex unsigned 64-bit seed.
func parseSeed(_ text: String) throws -> UInt64 {
    let value = text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    guard let value else { throw ValidationError("--seed must be an unsigned 64-bit integer (decimal or 0x-hex), got '\(text)'") }
    return value
}

extension Profile: ExpressibleByArgument {}
