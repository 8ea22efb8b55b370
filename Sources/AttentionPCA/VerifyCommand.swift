import ArgumentParser
import Foundation
import PaperClaims
import PropertyEngine
import Reports

/// `attention-pca verify`: check some or all claims; replay one trial; or run one shard.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check claims of the paper and print their verdicts.",
        discussion: """
        Examples:
          attention-pca verify                      every claim, quick profile
          attention-pca verify --claim ID --profile nightly --seed 0x1234
          attention-pca verify --claim ID --seed S --trial 17
                                                    replay one trial (the command
                                                    printed with a failure)
          attention-pca verify --profile paper --shard 3/8
                                                    shard 3 of 8: writes
                                                    shard-3-of-8.json for `merge`
          attention-pca verify --data my.csv --standardise
                                                    every claim that ranges over
                                                    covariances, on my data's
                                                    standardised covariance

        Without --output the verdicts are only printed; with it, results.json
        is written (atomically) and every completed batch of trials is
        journaled in <output>.journal: Ctrl-C or SIGTERM stops after the
        current batch and writes every completed trial (exit 130 or 143), and
        rerunning the command (or --resume <output>) continues from the
        journal to the same results as an uninterrupted run.
        """)

    @OptionGroup var options: RunOptions

    @Option(name: .customLong("claim"), help: "A claim id to check (repeat for several; default: all). See `attention-pca list`.")
    var claims: [String] = []

    @Option(help: "Replay only this trial index of the (single) --claim, as printed in a failure's reproduction command.")
    var trial: Int?

    @Option(help: "Run shard k of N (e.g. 2/8): only the trials i with i mod N = k-1; writes the shard's records for `merge`.")
    var shard: String?

    @Option(help: "Where to write results.json (or, with --shard, the shard file; default shard-<k>-of-<N>.json). Completed batches are journaled beside it (<output>.journal) until the run completes.")
    var output: String?

    @Option(help: "Continue the stopped run that was writing to this output, from its journal (the same as rerunning its command).")
    var resume: String?

    func validate() throws {
        if let trial {
            guard trial >= 0 else { throw ValidationError("--trial must be ≥ 0, got \(trial)") }
            guard claims.count == 1 else { throw ValidationError("--trial replays one trial of one claim: give exactly one --claim") }
            guard shard == nil else { throw ValidationError("--trial and --shard cannot be combined") }
            guard resume == nil else { throw ValidationError("--trial replays one trial; there is nothing to resume") }
        }
        // Shards must share one seed; under nightly each would draw its own, found only at merge.
        if shard != nil, options.seed == nil, options.profile == .nightly {
            throw ValidationError("--shard under the nightly profile needs --seed: each shard would otherwise draw its own seed, and merge would refuse them after all the work")
        }
    }

    func run() throws {
        var status = ExitCode.success
        try guarded {
            let run = try RunTarget(shard: shard, output: output, resume: resume)
            let (shardSpec, output, target) = (run.shard, run.output, run.path)
            let catalogue = try options.loadCatalogue(requested: claims)
            let (selected, notRun) = try ClaimSelection.claims(claims, in: catalogue)
            var options = options
            if trial == nil { options.seed = run.seed(given: options.seed) }
            let display = ProgressDisplay()
            let flag = installInterruptHandler(display)
            var settings = options.settings(cancellation: flag)
            if let trial { settings.replay = ReplayRequest(property: claims[0], trial: trial) }
            let reservation = try target.map { try OutputReservation(URL(fileURLWithPath: $0)) }
            defer { withExtendedLifetime(reservation) {} }
            var harness = Harness(settings: settings, familyFalseFailRate: options.alpha, command: typedCommand,
                                  environment: RunEnvironment.current(workers: options.workers), display: display)
            let header = RunJournal.Header(
                command: "verify", profile: settings.profile, rootSeed: settings.rootSeed, familyFalseFailRate: options.alpha,
                claims: selected, experiments: [], options: nil, shard: shardSpec, gitCommit: harness.environment.gitCommit,
                gitDirty: harness.environment.gitDirty, inputDigest: try options.inputDigest())
            if let target, trial == nil {
                harness.journal = try openJournal(for: URL(fileURLWithPath: target), header: header)
            }
            if let shardSpec, let target {
                status = try RunTarget.write(harness.runShard(selected, shard: shardSpec), header: header,
                                             to: URL(fileURLWithPath: target), journal: harness.journal)
                return
            }
            var results = try harness.run(selected, notRun: notRun)
            results.reproduceCommand = reproducingCommand(profile: results.profile, seed: results.rootSeed, output: output)
            if let trial, let r = results.claims.first?.result {
                print(r.summary)
                print("(replayed trial \(trial) alone: a single trial is not a verdict)")
                status = r.decision == .fails || r.decision == .error ? Exit.failure : .success
                return
            }
            print(summaryTable(results))
            if let output {
                let url = URL(fileURLWithPath: output)
                try AtomicWriter.write(results.encoded(), to: url)
                print("wrote \(url.path)")
                if !results.interrupted { harness.journal?.remove() }
            }
            status = exitStatus(results)
        }
        if status != .success { throw status }
    }
}
