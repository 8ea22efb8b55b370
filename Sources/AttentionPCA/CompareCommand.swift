import ArgumentParser
import Foundation
import Reports

/// `attention-pca compare BASELINE CURRENT`: exit 1 if CURRENT is statistically worse.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Decide, claim by claim, whether a run is statistically worse than a baseline (exit 1 on a regression).",
        discussion: """
        BASELINE and CURRENT are results.json files or report folders.
        A claim that now fails or errs where the baseline did not is a
        regression. For statistical claims a one-sided two-proportion z-test
        (rates) or Welch t-test (means) at alpha/m (Bonferroni over the m
        statistical claims compared) decides whether the current statistic is
        worse; a merely different value is not a regression. A baseline claim
        missing or interrupted in CURRENT fails the comparison unless
        --allow-missing. Runs under different profiles are refused unless
        --allow-profile-mismatch; a shared seed, a dirty baseline or another
        commit is warned about. See docs/REPORTS.md.

        Example:
          attention-pca compare reports/baseline-nightly reports/nightly
        """)

    @Argument(help: "The baseline results.json (or report folder).")
    var baseline: String

    @Argument(help: "The current results.json (or report folder).")
    var current: String

    @Option(help: "Family-wise false-alarm rate of the comparison.")
    var alpha: Double = 0.01

    @Flag(help: "Do not count claims missing from CURRENT as regressions.")
    var allowMissing = false

    @Flag(help: "Compare runs made under different profiles (refused otherwise: their budgets differ).")
    var allowProfileMismatch = false

    @Option(help: "Also write the comparison as JSON here.")
    var output: String?

    func run() throws {
        var regression = false
        try guarded {
            let base = try ResultsFile.read(from: URL(fileURLWithPath: baseline))
            let cur = try ResultsFile.read(from: URL(fileURLWithPath: current))
            let comparison = try ResultsComparison(baseline: base, current: cur, alpha: alpha, missingIsRegression: !allowMissing,
                                                   allowProfileMismatch: allowProfileMismatch)
            print(comparison.table)
            if let output { try AtomicWriter.write(JSONFormat.data(comparison.rows), to: URL(fileURLWithPath: output)) }
            regression = comparison.hasRegression
        }
        if regression { throw Exit.failure }
    }
}
