import ArgumentParser
import Foundation
import PaperClaims
import PropertyEngine
import Reports

/// `attention-pca report`: verify claims, reproduce experiments, write a report folder.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Verify the claims, reproduce the figures and write a reproducibility report.",
        discussion: """
        With no options: the quick profile, every claim, every experiment at
        reduced size (2 runs, every 5th sweep point), written atomically to
        reports/<date>-quick-<seed>/ (REPORT.md, results.json, figures/*.svg).

        Experiment size per profile (override with --runs/--stride): quick 2
        runs, every 5th sweep point; nightly 10 runs, every 2nd; paper the
        published runs, every point.

        Examples:
          attention-pca report
          attention-pca report --profile nightly --output reports/nightly
          attention-pca report --claim ID --experiment fig3b
          attention-pca report --from merged-results.json   (re-render only)
        """)

    @OptionGroup var options: RunOptions

    @Option(name: .customLong("claim"), help: "A claim id to check (repeat for several; default: all).")
    var claims: [String] = []

    @Option(name: .customLong("experiment"), help: "An experiment id to reproduce (repeat for several; default: all).")
    var experiments: [String] = []

    @Flag(help: "Reproduce no experiments (claims only).")
    var noExperiments = false

    @Flag(help: "Check no claims (experiments only).")
    var noClaims = false

    @Option(help: "Runs per experiment configuration (default depends on the profile).")
    var runs: Int?

    @Option(help: "Also run each experiment under the next N-1 seeds (each draws its own covariance) and report the spread of its headline numbers.")
    var seeds: Int = 1

    @Option(help: "Use every k-th point of each published sweep (default depends on the profile).")
    var stride: Int?

    @Flag(help: "Also run the mutation self-check with power (every planted bug, every control's power) and include it in the report.")
    var selfCheck = false

    @Option(help: "The report folder (default: reports/<date>-<profile>-<seed>).")
    var output: String?

    @Option(help: "Write the report from an existing results.json (e.g. from `merge`) instead of running.")
    var from: String?

    func validate() throws {
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1, got \(runs)") }
        if let stride, stride < 1 { throw ValidationError("--stride must be at least 1, got \(stride)") }
        if seeds < 1 { throw ValidationError("--seeds must be at least 1, got \(seeds)") }
        if noExperiments && !experiments.isEmpty { throw ValidationError("--no-experiments contradicts --experiment") }
        if noClaims && !claims.isEmpty { throw ValidationError("--no-claims contradicts --claim") }
        if selfCheck && from != nil { throw ValidationError("--self-check runs claims; it cannot re-render from --from") }
    }

    func run() throws {
        var status = ExitCode.success
        try guarded {
            var results: ResultsFile
            var table: SelfCheckTable?
            let folder: URL
            let reservation: OutputReservation
            if let from {
                results = try ResultsFile.read(from: URL(fileURLWithPath: from))
                folder = output.map { URL(fileURLWithPath: $0) }
                    ?? ReportWriter.defaultFolder(base: URL(fileURLWithPath: "reports"), results: results)
                reservation = try OutputReservation(folder)
            } else {
                let selected: (claims: [ClaimUnderTest], notRun: [NotRun]) = noClaims ? ([], []) : try ClaimSelection.claims(claims, in: try options.loadCatalogue(requested: claims))
                let chosen = noExperiments ? [] : try ClaimSelection.experiments(experiments, in: availableExperiments)
                let display = ProgressDisplay()
                let flag = installInterruptHandler(display)
                let settings = options.settings(cancellation: flag)
                // The output is reserved (writable, not in use by another run) before any work.
                folder = output.map { URL(fileURLWithPath: $0) }
                    ?? ReportWriter.defaultFolder(base: URL(fileURLWithPath: "reports"), profile: options.profile, seed: settings.rootSeed)
                reservation = try OutputReservation(folder)
                let harness = Harness(settings: settings, familyFalseFailRate: options.alpha, command: typedCommand,
                                      environment: RunEnvironment.current(workers: options.workers), display: display)
                let experimentOptions = ClaimSelection.experimentOptions(profile: options.profile, seed: settings.rootSeed,
                                                                         workers: options.workers, runs: runs, stride: stride, seeds: seeds)
                results = try harness.run(selected.claims, notRun: selected.notRun, experiments: chosen, options: experimentOptions)
                print(summaryTable(results))
                if selfCheck && !flag.isCancelled {
                    let catalogue = try options.loadCatalogue()
                    table = try runSelfCheck(catalogue, bugs: PlantedBug.all(in: catalogue), settings: settings, withPower: true,
                                             options: options, display: display)
                }
            }
            defer { withExtendedLifetime(reservation) {} }
            if from == nil {
                results.reproduceCommand = reproducingCommand(profile: results.profile, seed: results.rootSeed,
                                                              output: output ?? folder.relativePath)
            }
            try ReportWriter().write(results, selfCheck: table, to: folder)
            print("wrote \(folder.path)/REPORT.md")
            status = exitStatus(results)
            if let table, status == .success, !(table.allCaught && table.allPowerful) {
                print("the mutation self-check found a planted bug that slipped through or a control below power \(SelfCheckCommand.requiredPower): see SELF-CHECK.md")
                status = Exit.failure
            }
        }
        if status != .success { throw status }
    }
}
