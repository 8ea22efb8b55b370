import ArgumentParser
import Foundation
import PaperClaims
import PropertyEngine
import Reports

/// `attention-pca merge shard-*.json`: the unsharded run's results from its shards.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the shard files of a sharded run into the results an unsharded run would give.",
        discussion: """
        Give all N shard files of one run (written by `verify --shard k/N`,
        `report --shard k/N` or `reproduce ID --shard k/N` with the same
        options). The engine's sequential decision is replayed over the merged
        trial records in trial-index order, so verdicts, stopping points and
        counterexamples (shrunk here) equal those of an unsharded run with the
        same seed; every experiment is rebuilt from the shards' runs, so its
        figures and verdicts equal the unsharded run's too.

        Example:
          attention-pca merge shard-*.json --output results.json --report reports/run
        """)

    @Argument(help: "The shard files (shard-<k>-of-<N>.json).")
    var shards: [String]

    @Option(help: "Where to write the merged results.json.")
    var output: String = "results.json"

    @Option(help: "Also write a report folder here.")
    var report: String?

    @Option(help: "Worker threads for trials merge must evaluate itself (rare) and for shrinking.")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: [.customLong("properties"), .customLong("catalogue")],
            help: "The claims folder, Properties/ (default: Properties/ above the current directory, or $ATTENTION_PCA_PROPERTIES; --catalogue is an alias).")
    var catalogue: String?

    @Option(help: "The --covariance file the shards were run with (their claims then ran on it; give the same file).")
    var covariance: String?

    @Option(help: "The --data file the shards were run with (give the same file).")
    var data: String?

    @Flag(help: "With --data: as the shards were run with --standardise.")
    var standardise = false

    mutating func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the shard files to merge") }
        workers = try cappedWorkers(workers)
    }

    func run() throws {
        var status = ExitCode.success
        try guarded {
            let files = try shards.map { path throws(ReportsError) in try ShardFile.read(from: URL(fileURLWithPath: path)) }
            _ = try ShardFile.combine(files)
            var options = try RunOptions.parse([])   // every option at its default, then the shards' values
            options.catalogue = catalogue
            options.covariance = covariance
            options.data = data
            options.standardise = standardise
            try options.validate()
            options.workers = workers
            options.profile = files[0].profile
            options.seed = files[0].rootSeed
            let catalogueValue = files[0].claims.isEmpty ? nil : try options.loadCatalogue()
            // The merge recomputes with its own catalogue, covariance file and code: they must be the shards'.
            let environment = RunEnvironment.current(workers: workers)
            if let shards = files[0].header {
                let claims = try catalogueValue.map { try ClaimSelection.claims(files[0].claims, in: $0).claims } ?? []
                let mine = RunJournal.Header(command: shards.command, profile: shards.profile, rootSeed: shards.rootSeed,
                                             familyFalseFailRate: shards.familyFalseFailRate, claims: claims, experiments: [],
                                             options: nil, shard: nil, gitCommit: environment.gitCommit,
                                             gitDirty: environment.gitDirty, inputDigest: try options.inputDigest())
                if let (field, theirs, merging) = shards.recomputationDifference(from: mine) {
                    throw ReportsError.inconsistentShards("they were run with another \(field) than this merge: \(theirs) against "
                        + "\(merging) (merge with the catalogue, --covariance/--data file and build the shards used)")
                }
            }
            let reservations = try ([output] + (report.map { [$0] } ?? [])).map { try OutputReservation(URL(fileURLWithPath: $0)) }
            defer { withExtendedLifetime(reservations) {} }
            let display = ProgressDisplay()
            let flag = installInterruptHandler(display)
            let harness = Harness(settings: options.settings(cancellation: flag), familyFalseFailRate: files[0].familyFalseFailRate,
                                  command: typedCommand, environment: environment, display: display)
            let results = try harness.merge(files, claim: { id in
                let chosen = try ClaimSelection.claims([id], in: catalogueValue!)
                return chosen.claims[0]
            }, experiment: { id in try ClaimSelection.experiments([id], in: availableExperiments)[0] })
            print(summaryTable(results))
            try AtomicWriter.write(results.encoded(), to: URL(fileURLWithPath: output))
            print("wrote \(output)")
            if let report {
                try ReportWriter().write(results, to: URL(fileURLWithPath: report))
                print("wrote \(report)/REPORT.md")
            }
            status = exitStatus(results)
        }
        if status != .success { throw status }
    }
}
