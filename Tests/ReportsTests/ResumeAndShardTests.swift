import Foundation
import PaperClaims
import PropertyEngine
import Reports
import Synchronization
import Testing

/// Long runs lose nothing: a real `attention-pca report` killed by SIGINT, SIGKILL and SIGTERM at
/// several points resumes from its journal to results bit-identical to an uninterrupted run, and
/// the same run split into 1, 2, 3 or 5 shards merges to them too. "Bit-identical" compares
/// `ResultsFile.findings()`: everything but the fields that record how the run went
/// (`ResultsFile.runRecordFields`: start time, durations, environment, command lines, shard count).
@Suite(.serialized) struct ResumeAndShardTests {
    /// A reduced run: two claims (a universal and a statistical one) and three experiments
    /// (two sweeps), about ten seconds of work on an idle core.
    static let selection = ["--claim", "icl-identity", "--claim", "formulas-monte-carlo",
                            "--experiment", "fig3b", "--experiment", "fig6a", "--experiment", "fig4b", "--stride", "10"]

    static var properties: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Properties").path
    }

    /// For the eleven shard processes: the universal claim only (a statistical claim's shard computes
    /// its whole budget, as only the merge knows where the sequential test stops; the merge of
    /// statistical claims is tested in ComparisonAndMergeTests) and a single sweep point for fig6a.
    static let shardSelection = ["--claim", "icl-identity", "--experiment", "fig3b", "--experiment", "fig6a", "--experiment", "fig4b",
                                 "--stride", "20"]

    /// The uninterrupted run's findings for `selection`.
    static func findings(_ selection: [String]) throws -> Data {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("whole")
        let r = try CommandLineTests.run(["report", "--properties", properties, "--output", out.path] + selection)
        guard r.status == 0 else { throw Failure(text: "the uninterrupted run exited \(r.status): \(r.err)") }
        return try ResultsFile.read(from: out).findings()
    }

    /// The uninterrupted shard selection's findings, computed once for the four shard counts.
    static let baseline: Result<Data, any Error> = Result { try findings(shardSelection) }

    struct Failure: Error, CustomStringConvertible { let text: String; var description: String { text } }

    /// Starts the reduced report writing to `out`, sends `signal` `delay` seconds after a progress
    /// line containing `marker` has appeared (and, with `journaled`, once the journal holds a unit
    /// whose key contains it), and returns the ended process.
    static func interrupt(_ out: URL, workers: Int, at marker: String, delay: Double = 0, journaled: String? = nil,
                          with signal: Int32) throws -> Process {
        try interrupt(["report", "--properties", properties, "--output", out.path, "--workers", String(workers)] + selection,
                      at: marker, delay: delay, journal: journaled.map { (RunJournal.location(for: out), $0) }, with: signal)
    }

    /// Starts `attention-pca arguments`, sends `signal` `delay` seconds after a progress line
    /// containing `marker` has appeared and, if `journal` is given, once that journal file holds a
    /// unit whose key contains its text (a kill point set by progress, not by a clock: a fixed
    /// delay raced the run's end on a fast or idle machine). Returns the ended process.
    static func interrupt(_ arguments: [String], at marker: String, delay: Double = 0, journal: (URL, String)? = nil,
                          with signal: Int32) throws -> Process {
        let process = Process()
        process.executableURL = try #require(CommandLineTests.binary)
        process.arguments = arguments
        let progress = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = progress
        try process.run()
        var seen = ""
        while process.isRunning, !seen.contains(marker) {
            let chunk = progress.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        Thread.detachNewThread { _ = progress.fileHandleForReading.readDataToEndOfFile() }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        if let (url, key) = journal {
            let needle = "\"key\":\"\(key)"
            while process.isRunning,
                  !(String(data: (try? Data(contentsOf: url)) ?? Data(), encoding: .utf8) ?? "").contains(needle) {
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process
    }

    @Test(.enabled(if: CommandLineTests.binary != nil))
    func aRunKilledAtSeveralPointsResumesToTheUninterruptedResults() throws {
        let whole = try Self.findings(Self.selection)
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("resumed")
        let journal = RunJournal.location(for: out)
        // 1. Ctrl-C during the statistical claim: the partial report is written, exit 130.
        let first = try Self.interrupt(out, workers: 2, at: "formulas-monte-carlo: started", delay: 0.3, with: SIGINT)
        #expect(first.terminationReason == .exit && first.terminationStatus == 130)
        #expect(try ResultsFile.read(from: out).interrupted)
        #expect(FileManager.default.fileExists(atPath: journal.path))
        // 2. SIGKILL inside the sweep of fig6a, once its first run (d = 3, fast) is journaled and
        //    while the d = 53 runs compute: nothing is written but the journal.
        let second = try Self.interrupt(out, workers: 2, at: "fig6a: started", journaled: "fig6a seed", with: SIGKILL)
        #expect(second.terminationReason == .uncaughtSignal, "the run ended before the kill (status \(second.terminationStatus))")
        // 3. SIGTERM in the same sweep, on one worker this time (results do not depend on it): exit 143.
        let third = try Self.interrupt(out, workers: 1, at: "fig6a: started", with: SIGTERM)
        #expect(third.terminationReason == .exit && third.terminationStatus == 143)
        let partial = try ResultsFile.read(from: out)
        #expect(partial.interrupted)
        // 4. `--resume` finishes it; the journal is then deleted.
        let last = try CommandLineTests.run(["report", "--properties", Self.properties, "--resume", out.path] + Self.selection)
        #expect(last.status == 0, "\(last.err)")
        #expect(last.err.contains("resuming from \(journal.path)"))
        #expect(!FileManager.default.fileExists(atPath: journal.path))
        let file = try ResultsFile.read(from: out)
        #expect(try file.findings() == whole, "the resumed run's findings differ from the uninterrupted run's")
        // The journal was read, not ignored: fig3b finished before the first kill, so the resumed
        // run computes none of its runs and takes every one from the journal.
        let fig3b = try #require(file.experiments.first { $0.id == "fig3b" }?.units)
        #expect(fig3b.computed == 0 && fig3b.resumed > 0, "\(fig3b)")
    }

    @Test(.enabled(if: CommandLineTests.binary != nil))
    func experimentRunsStopBetweenTheirStepsOnSIGTERM() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("icl")
        // Two in-context SGD runs at L = 100 of 1000 steps x 100 covariances x 100 prompts, each
        // about 17 s on one AMD EPYC core (the L = 3 run used before takes 1 s since short prompts
        // run eight at a time: too close to the 0.5 s delay on a faster CPU).
        let process = try Self.interrupt(["reproduce", "fig7a", "--runs", "2", "--workers", "2", "--output", out.path],
                                         at: "fig7a: started", delay: 0.5, with: SIGTERM)
        #expect(process.terminationReason == .exit && process.terminationStatus == 143)
        // Both runs were in flight: cut at their next step and discarded, none completed (had they run
        // to their end, they would be counted and journaled).
        let error = try #require(try ResultsFile.read(from: out).experiments.first?.error)
        #expect(error.contains("0 runs of the whole run are complete"), "\(error)")
    }

    @Test(.enabled(if: CommandLineTests.binary != nil))
    func aJournalOfAnotherRunIsRefusedAndATornLastRecordIsDropped() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("other")
        let journal = RunJournal.location(for: out)
        let stopped = try Self.interrupt(out, workers: 2, at: "icl-identity: started", with: SIGKILL)
        #expect(stopped.terminationReason == .uncaughtSignal)
        let refused = try CommandLineTests.run(["report", "--properties", Self.properties, "--resume", out.path, "--seed", "99"] + Self.selection)
        #expect(refused.status == 2 && refused.err.contains("belongs to another run") && refused.err.contains("seed"), "\(refused.err)")
        // A kill during a write leaves a torn last line: dropped (and cut off) on resuming.
        let handle = try FileHandle(forWritingTo: journal)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("0123456789abcdef {\"key\":\"torn".utf8))
        try handle.close()
        let noJournal = try CommandLineTests.run(["report", "--properties", Self.properties, "--resume", folder.appendingPathComponent("absent").path] + Self.selection)
        #expect(noJournal.status == 2 && noJournal.err.contains("nothing to resume"), "\(noJournal.err)")
        let resumed = try CommandLineTests.run(["report", "--properties", Self.properties, "--resume", out.path, "--no-experiments",
                                                "--claim", "icl-identity"])
        #expect(resumed.status == 2 && resumed.err.contains("claim selection"), "\(resumed.err)")
        let header = try #require(RunJournal.header(at: journal))
        _ = try RunJournal(at: journal, header: header)
        let text = try String(contentsOf: journal, encoding: .utf8)
        #expect(text.hasSuffix("\n") && !text.contains("torn"))
    }

    @Test(.enabled(if: CommandLineTests.binary != nil), arguments: [1, 2, 3, 5])
    func shardsOfClaimsAndExperimentsMergeToTheUnshardedResults(count: Int) throws {
        let whole = try Self.baseline.get()
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for k in 1...count {
            let file = folder.appendingPathComponent("shard-\(k).json").path
            let r = try CommandLineTests.run(["report", "--properties", Self.properties, "--shard", "\(k)/\(count)", "--output", file,
                                              "--workers", "1"] + Self.shardSelection)
            #expect(r.status == 0, "\(r.err)")
            files.append(file)
        }
        let merged = folder.appendingPathComponent("merged.json")
        let report = folder.appendingPathComponent("merged-report")
        let m = try CommandLineTests.run(["merge", "--properties", Self.properties, "--output", merged.path, "--report", report.path]
                                         + files.reversed())
        #expect(m.status == 0, "\(m.err)")
        #expect(try ResultsFile.read(from: merged).findings() == whole, "\(count) shards merge to other findings than the unsharded run")
        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("REPORT.md").path))
    }
}

/// The ledger's split of experiment runs: every experiment copes with the placeholders that stand
/// in for other shards' runs, and any key belongs to exactly one shard.
struct RunLedgerTests {
    @Test func everyExperimentRunsWithOnlyPlaceholders() throws {
        // One shard in a million owns almost no run, so every sweep is made of placeholders.
        let shard = try Shard(index: 1, count: 1_000_000)
        for experiment in PaperExperiments.all {
            let ledger = RunLedger(shard: shard)
            var options = ExperimentOptions(seed: 3, runs: 2, sweepStride: 5, workers: 2, profile: .quick)
            options.ledger = ledger
            _ = try experiment.run(options)
            #expect(ledger.units.skipped > 0, "\(experiment.id)")
        }
    }

    @Test func aKeyAskedForTwiceIsComputedOnce() throws {
        let ledger = RunLedger()
        let computed = Mutex(0)
        for _ in 0..<3 {
            _ = try ledger.run("k") { _ in
                computed.withLock { $0 += 1 }
                return RunLedger.placeholder
            }
        }
        #expect(computed.withLock { $0 } == 1)
        #expect(ledger.units.computed == 1 && ledger.units.shared == 2, "\(ledger.units)")
    }

    @Test func figure2TakesFigure7asSGDRunsFromTheLedger() throws {
        // Fig. 7a's two SGD runs stand in the ledger as if resumed (placeholders: no 13 s per run here).
        let keys = (0..<2).map { "fig7a SGD L 100 seed 3 job \($0)" }
        let ledger = RunLedger(known: Dictionary(uniqueKeysWithValues: keys.map { ($0, RunLedger.placeholder) }))
        var options = ExperimentOptions(seed: 3, runs: 2, workers: 2, profile: .quick)
        options.ledger = ledger
        let experiment = { (id: String) in try #require(PaperExperiments.all.first { $0.id == id }) }
        _ = try experiment("fig7a").run(options)
        let afterFig7a = ledger.units
        #expect(afterFig7a.resumed == 2 && afterFig7a.computed == 0, "fig7a: \(afterFig7a)")
        _ = try experiment("fig2").run(options)
        let fig2 = ledger.units.since(afterFig7a)
        // Fig. 2 computes only its two gradient-descent runs; its SGD runs are Fig. 7a's.
        #expect(fig2.shared == 2 && fig2.computed == 2 && fig2.resumed == 0, "fig2: \(fig2)")
    }
}

/// Bad output locations and bad catalogue files fail before any work, not after it.
struct FailBeforeTheWorkTests {
    @Test(.enabled(if: CommandLineTests.binary != nil)) func anUnwritableOutputFailsWithinASecond() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let blocker = folder.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        // The paper profile's full run would take most of an hour: refused before the first trial.
        let clock = ContinuousClock()
        let start = clock.now
        let r = try CommandLineTests.run(["report", "--profile", "paper", "--output", blocker.appendingPathComponent("report").path])
        let elapsed = clock.now - start
        #expect(r.status == 2 && r.err.contains("cannot write"), "\(r.err)")
        // One second is the bound; process start and the catalogue load take a few tenths.
        #expect(elapsed < .seconds(1), "took \(elapsed)")
    }

    @Test(.enabled(if: CommandLineTests.binary != nil)) func aMalformedCatalogueEntryFailsBeforeTheFirstTrial() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let properties = URL(fileURLWithPath: ResumeAndShardTests.properties)
        for name in try FileManager.default.contentsOfDirectory(atPath: properties.path) where name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(at: properties.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        // The last claim of the catalogue is malformed: the first ones must not run first.
        let last = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted().last)
        try "budget: [unclosed\n".data(using: .utf8)!.write(to: folder.appendingPathComponent(last))
        let r = try CommandLineTests.run(["verify", "--properties", folder.path, "--output", folder.appendingPathComponent("out.json").path])
        #expect(r.status == 2 && r.err.contains(last), "\(r.err)")
        #expect(!r.out.contains("pass") && !r.err.contains("started"), "a claim ran before the catalogue was checked")
    }
}

/// docs/REPORTS.md shows the very sbatch files `scripts/slurm-check` submits and the very
/// GitHub Actions jobs of the nightly workflow, so neither can drift from what runs.
struct ClusterRecipeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String { try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    @Test func theDocsShowTheSbatchFilesAndTheWorkflowJobsVerbatim() throws {
        let docs = try Self.text("docs/REPORTS.md")
        for file in ["scripts/slurm/shard.sbatch", "scripts/slurm/merge.sbatch"] {
            let body = try Self.text(file)
            #expect(docs.contains("```sh\n" + body + "```"), "docs/REPORTS.md does not show \(file) verbatim")
            #expect(try Self.text("scripts/slurm-check").contains(file), "scripts/slurm-check does not submit \(file)")
        }
        let workflow = try Self.text(".github/workflows/nightly.yml")
        let begin = try #require(workflow.range(of: "  # BEGIN sharded paper run"))
        let end = try #require(workflow.range(of: "  # END sharded paper run\n"))
        let block = String(workflow[begin.lowerBound..<end.upperBound])
        #expect(docs.contains("```yaml\n" + block + "```"), "docs/REPORTS.md does not show the workflow's sharded jobs verbatim")
        #expect(block.contains("--shard ${{ matrix.k }}/4") && block.contains("merge shards/shard-*-of-4.json"))
    }

    @Test func theSlurmCheckComparesWhatFindingsCompares() throws {
        // scripts/slurm-check compares the merged and unsharded results.json in Python; it must
        // drop exactly the fields `ResultsFile.findings()` blanks, or a new run-record field
        // (such as experiments' `units`) fails it on a correct merge.
        let script = try Self.text("scripts/slurm-check")
        for field in ResultsFile.runRecordFields {
            let name = try #require(field.split(separator: ".").last)
            #expect(script.contains("\"\(name)\""), "scripts/slurm-check does not drop \(field)")
        }
    }
}
