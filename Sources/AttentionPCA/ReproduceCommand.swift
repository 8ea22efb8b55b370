import ArgumentParser
import Foundation
import PaperClaims
import PropertyEngine
import Reports

/// `attention-pca reproduce ID`: one figure at the paper's published parameters.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Reproduce one of the paper's figures at its published parameters (see `attention-pca list`).",
        discussion: """
        Runs the experiment with the paper's number of runs on every sweep point
        (override with --runs/--stride for a quicker look) and writes a report
        folder with the figure as SVG, REPORT.md and results.json (default
        reports/<date>-reproduce-<id>-<seed>/). The report says, run by run,
        whether the published step budget reached convergence.

        Example: attention-pca reproduce fig3b
        """)

    @Argument(help: "The experiment id, e.g. fig3b, fig1, softmax-vs-L, fig6a.")
    var experiment: String

    @Option(parsing: .unconditional, help: "Root seed, decimal or 0x-hex (default: the paper profile's fixed seed).", transform: parseSeed)
    var seed: UInt64?

    @Option(help: "Runs per configuration (default: the paper's).")
    var runs: Int?

    @Option(help: "Also run each experiment under the next N-1 seeds (each draws its own covariance) and report the spread of its headline numbers.")
    var seeds: Int = 1

    @Option(help: "Use every k-th point of the published sweep (default 1: all).")
    var stride: Int?

    @Option(help: "Worker threads.")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "The report folder (default: reports/<date>-reproduce-<id>-<seed>). Completed runs are journaled beside it (<folder>.journal) until it is written.")
    var output: String?

    @Option(help: "Continue the stopped run that was writing this report folder, from its journal (the same as rerunning its command).")
    var resume: String?

    @Flag(help: "Keep no journal: a stopped run then cannot resume (for measuring the journal's cost, or outputs on slow storage).")
    var noJournal = false

    @Option(help: "Run shard k of N (e.g. 2/8) of the experiment's runs; writes shard-<k>-of-<N>.json (or --output) for `merge`.")
    var shard: String?

    mutating func validate() throws {
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1, got \(runs)") }
        if let stride, stride < 1 { throw ValidationError("--stride must be at least 1, got \(stride)") }
        if seeds < 1 { throw ValidationError("--seeds must be at least 1, got \(seeds)") }
        if noJournal && resume != nil { throw ValidationError("--no-journal contradicts --resume") }
        workers = try cappedWorkers(workers)
    }

    func run() throws {
        var status = ExitCode.success
        try guarded {
            let run = try RunTarget(shard: shard, output: output, resume: resume)
            let output = run.output
            let chosen = try ClaimSelection.experiments([experiment], in: availableExperiments)
            let seed = run.seed(given: seed)
            let display = ProgressDisplay()
            let flag = installInterruptHandler(display)
            let settings = Settings(profile: .paper, rootSeed: seed, workers: workers)
            var s = settings
            s.cancellation = flag
            let folder = run.path.map { URL(fileURLWithPath: $0) }
                ?? URL(fileURLWithPath: "reports").appendingPathComponent("\(String(ResultsFile.timestamp(Date()).prefix(10)))-reproduce-\(experiment)-\(settings.rootSeed)")
            let reservation = try OutputReservation(folder)
            defer { withExtendedLifetime(reservation) {} }
            var harness = Harness(settings: s, command: typedCommand, environment: RunEnvironment.current(workers: workers), display: display)
            let options = ClaimSelection.experimentOptions(profile: .paper, seed: settings.rootSeed, workers: workers, runs: runs,
                                                           stride: stride, publishedRuns: chosen[0].publishedRuns, seeds: seeds)
            let header = RunJournal.Header(
                command: "reproduce", profile: .paper, rootSeed: settings.rootSeed, familyFalseFailRate: harness.familyFalseFailRate,
                claims: [], experiments: chosen, options: options, shard: run.shard, gitCommit: harness.environment.gitCommit,
                gitDirty: harness.environment.gitDirty, inputDigest: nil)
            harness.journal = noJournal ? nil : try openJournal(for: folder, header: header)
            if let shardSpec = run.shard {
                status = try RunTarget.write(harness.runShard([], shard: shardSpec, experiments: chosen, options: options),
                                             header: header, to: folder, journal: harness.journal)
                return
            }
            var results = try harness.run([], experiments: chosen, options: options)
            results.reproduceCommand = reproducingCommand(profile: nil, seed: settings.rootSeed, output: output ?? folder.relativePath)
            try ReportWriter().write(results, to: folder)
            if !results.interrupted { harness.journal?.remove() }
            if let e = results.experiments.first {
                print("\(e.id): \(e.verdict)")
                if let summary = e.result?.summary { print(summary) }
                if let error = e.error { print("error: \(error)") }
            }
            print("wrote \(folder.path)/REPORT.md")
            status = results.interrupted ? interruptionStatus : (results.experiments.first?.error != nil ? Exit.failure : .success)
        }
        if status != .success { throw status }
    }
}
