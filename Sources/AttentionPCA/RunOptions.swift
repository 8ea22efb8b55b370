import ArgumentParser
import Foundation
import PaperClaims
import PropertyEngine
import Reports

/// Options shared by the commands that run claims: profile, seed, workers, α, catalogue.
struct RunOptions: ParsableArguments {
    @Option(help: "Budget profile: quick (fixed seed, minutes), nightly (fresh seed, larger budgets) or paper (fixed seed, the paper's budgets).")
    var profile: Profile = .quick

    @Option(help: "Root seed, decimal or 0x-hex (default: the profile's; nightly draws a fresh one and reports it).", transform: parseSeed)
    var seed: UInt64?

    @Option(help: "Worker threads for trials (default: all cores). Verdicts do not depend on it.")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Family-wise false-fail rate of the run, split over the statistical claims (Bonferroni).")
    var alpha: Double = PaperClaims.defaultFamilyFalseFailRate

    @Option(help: "The claims folder (default: Properties/ above the current directory, or $ATTENTION_PCA_PROPERTIES).")
    var catalogue: String?

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must lie in (0, 1), got \(alpha)") }
    }

    /// The engine settings, with the CLI's own replay command and Ctrl-C cancellation.
    func settings(cancellation: CancellationFlag?) -> Settings {
        var s = Settings(profile: profile, rootSeed: seed, workers: workers)
        let binary = CommandLine.arguments.first.map { $0.contains("/") ? $0 : ".build/release/attention-pca" } ?? ".build/release/attention-pca"
        let catalogueOption = catalogue.map { " --catalogue '\($0)'" } ?? ""
        s.replayTemplate = "scripts/with-blas \(binary) verify --claim {property} --profile {profile} --seed {seed}\(catalogueOption) --trial {trial}"
        s.rerunTemplate = "scripts/with-blas \(binary) verify --claim {property} --profile {profile} --seed {seed}\(catalogueOption)"
        s.cancellation = cancellation
        return s
    }

    /// The claims catalogue.
    func loadCatalogue() throws -> ClaimCatalogue {
        let folder = try catalogue.map { URL(fileURLWithPath: $0) } ?? ClaimCatalogue.defaultFolder()
        return try ClaimCatalogue.load(from: folder)
    }
}

/// Parses a decimal or 0x-hex unsigned 64-bit seed.
func parseSeed(_ text: String) throws -> UInt64 {
    let value = text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    guard let value else { throw ValidationError("--seed must be an unsigned 64-bit integer (decimal or 0x-hex), got '\(text)'") }
    return value
}

extension Profile: ExpressibleByArgument {}
