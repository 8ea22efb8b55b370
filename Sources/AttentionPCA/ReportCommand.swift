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
          attention-pca report --profile paper --shard 2/4  (then `merge`)

        Every completed unit of work (a batch of a claim's trials, one run of
        an experiment at one sweep point) is journaled beside the report
        (<folder>.journal). Ctrl-C or SIGTERM stops at the next unit, writes
        the partial report and exits 130 or 143; rerunning the command (or
        --resume <folder>) continues to the results an uninterrupted run gives.
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

    @Option(help: "Continue the stopped run that was writing this report folder, from its journal (the same as rerunning its command).")
    var resume: String?

    @Flag(help: "Keep no journal: a stopped run then cannot resume (for measuring the journal's cost, or outputs on slow storage).")
    var noJournal = false

    @Option(help: "Run shard k of N (e.g. 2/8) of the claims' trials and the experiments' runs; writes shard-<k>-of-<N>.json (or --output) for `merge`.")
    var shard: String?

    func validate() throws {
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1, got \(runs)") }
        if let stride, stride < 1 { throw ValidationError("--stride must be at least 1, got \(stride)") }
        if seeds < 1 { throw ValidationError("--seeds must be at least 1, got \(seeds)") }
        if noExperiments && !experiments.isEmpty { throw ValidationError("--no-experiments contradicts --experiment") }
        if noClaims && !claims.isEmpty { throw ValidationError("--no-claims contradicts --claim") }
        if selfCheck && from != nil { throw ValidationError("--self-check runs claims; it cannot re-render from --from") }
        if from != nil && (resume != nil || shard != nil) { throw ValidationError("--from re-renders a finished run; it cannot be combined with --resume or --shard") }
        if noJournal && resume != nil { throw ValidationError("--no-journal contradicts --resume") }
        if shard != nil && selfCheck { throw ValidationError("--self-check cannot be sharded; run it once, unsharded") }
        // Shards must share one seed; under nightly each would draw its own, found only at merge.
        if shard != nil, options.seed == nil, options.profile == .nightly {
            throw ValidationError("--shard under the nightly profile needs --seed: each shard would otherwise draw its own seed, and merge would refuse them after all the work")
        }
    }

    func run() throws {
        var status = ExitCode.success
        try guarded {
            var results: ResultsFile
            var table: SelfCheckTable?
            var journal: RunJournal?
            let folder: URL
            let reservation: OutputReservation
            if let from {
                results = try ResultsFile.read(from: URL(fileURLWithPath: from))
                folder = output.map { URL(fileURLWithPath: $0) }
                    ?? ReportWriter.defaultFolder(base: URL(fileURLWithPath: "reports"), results: results)
                reservation = try OutputReservation(folder)
            } else {
                let run = try RunTarget(shard: shard, output: output, resume: resume)
                let selected: (claims: [ClaimUnderTest], notRun: [NotRun]) = noClaims ? ([], []) : try ClaimSelection.claims(claims, in: try options.loadCatalogue(requested: claims))
                let chosen = noExperiments ? [] : try ClaimSelection.experiments(experiments, in: availableExperiments)
                var options = options
                options.seed = run.seed(given: options.seed)
                let display = ProgressDisplay()
                let flag = installInterruptHandler(display)
                let settings = options.settings(cancellation: flag)
                // The output is reserved (writable, not in use by another run) before any work.
                folder = run.path.map { URL(fileURLWithPath: $0) }
                    ?? ReportWriter.defaultFolder(base: URL(fileURLWithPath: "reports"), profile: options.profile, seed: settings.rootSeed)
                reservation = try OutputReservation(folder)
                var harness = Harness(settings: settings, familyFalseFailRate: options.alpha, command: typedCommand,
                                      environment: RunEnvironment.current(workers: options.workers), display: display)
                let experimentOptions = ClaimSelection.experimentOptions(profile: options.profile, seed: settings.rootSeed,
                                                                         workers: options.workers, runs: runs, stride: stride, seeds: seeds)
                let header = RunJournal.Header(
                    command: "report", profile: settings.profile, rootSeed: settings.rootSeed, familyFalseFailRate: options.alpha,
                    claims: selected.claims, experiments: chosen, options: experimentOptions, shard: run.shard,
                    gitCommit: harness.environment.gitCommit, gitDirty: harness.environment.gitDirty, inputDigest: try options.inputDigest())
                harness.journal = noJournal ? nil : try openJournal(for: folder, header: header)
                if let shardSpec = run.shard {
                    status = try RunTarget.write(harness.runShard(selected.claims, shard: shardSpec, experiments: chosen, options: experimentOptions),
                                                 header: header, to: folder, journal: harness.journal)
                    withExtendedLifetime(reservation) {}
                    return
                }
                results = try harness.run(selected.claims, notRun: selected.notRun, experiments: chosen, options: experimentOptions)
                journal = harness.journal
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
            if !results.interrupted { journal?.remove() }
            status = exitStatus(results)
            if let table, status == .success, !(table.allCaught && table.allPowerful) {
                print("the mutation self-check found a planted bug that slipped through or a control below power \(SelfCheckCommand.requiredPower): see SELF-CHECK.md")
                status = Exit.failure
            }
        }
        if status != .success { throw status }
    }
}
