import Foundation
import PaperClaims
import PropertyEngine
import Reports
import Testing
import TestSupport

/// End-to-end runs of the built `attention-pca` binary: bad input to every command gets a
/// clear error and a non-zero exit, never a crash; compare's exit status gates regressions.
struct CommandLineTests {
    /// The binary next to the test bundle (`BuiltCommand.binary`).
    static let binary = BuiltCommand.binary

    typealias Outcome = BuiltCommand.Outcome

    /// Runs the binary; a crash (a signal, not an exit) is a test failure.
    static func run(_ arguments: [String], in folder: URL? = nil) throws -> Outcome {
        let outcome = try BuiltCommand.run(arguments, in: folder)
        #expect(!outcome.crashed, "crashed: \(arguments)")
        return outcome
    }

    /// A catalogue folder with one valid claim file.
    static func catalogue() throws -> URL {
        let folder = StandIns.temporaryFolder()
        try """
        id: toy-claim
        title: A toy claim
        paper: Thm 0
        statement: Toy.
        kind: universal
        instances:
          d: [2, 4]
        protocol:
          optimiser: none
        statistic: nothing
        tolerance:
          absolute: 0
          derivation: exact
        budget:
          quick: 10
          nightly: 20
          paper: 30
        negative-controls: [no-spectral-gap]
        """.write(to: folder.appendingPathComponent("toy-claim.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    static func resultsFiles(_ folder: URL) throws -> (baseline: URL, same: URL, worse: URL) {
        let base = try StandIns.harness(seed: 1).run(StandIns.claims(rate: 0.95, meanShift: 0.2))
        let worse = try StandIns.harness(seed: 2).run(StandIns.claims(rate: 0.85, meanShift: 0.05))
        let urls = (folder.appendingPathComponent("base.json"), folder.appendingPathComponent("same.json"), folder.appendingPathComponent("worse.json"))
        try AtomicWriter.write(base.encoded(), to: urls.0)
        try AtomicWriter.write(base.encoded(), to: urls.1)
        try AtomicWriter.write(worse.encoded(), to: urls.2)
        return urls
    }

    @Test(.enabled(if: binary != nil)) func helpNamesEveryCommand() throws {
        let help = try Self.run(["--help"])
        #expect(help.status == 0)
        for command in ["list", "verify", "reproduce", "report", "compare", "merge", "Exit status"] { #expect(help.out.contains(command)) }
        #expect(try Self.run(["verify", "--help"]).out.contains("--shard"))
    }

    @Test(.enabled(if: binary != nil), arguments: ["3/2", "0/4", "two/four", "1/0"])
    func impossibleShardsAreRejected(spec: String) throws {
        let r = try Self.run(["verify", "--shard", spec])
        #expect(r.status == 2)
        #expect(r.err.contains("error:") && r.err.contains(spec))
    }

    @Test(.enabled(if: binary != nil)) func unknownClaimsAndExperimentsAreNamed() throws {
        let folder = try Self.catalogue()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try Self.run(["verify", "--catalogue", folder.path, "--claim", "no-such-claim"])
        #expect(r.status == 2)
        #expect(r.err.contains("unknown claim 'no-such-claim'; known: toy-claim"))
        let e = try Self.run(["reproduce", "fig99"])
        #expect(e.status == 2 && e.err.contains("unknown experiment 'fig99'"))
        let listed = try Self.run(["list", "--catalogue", folder.path])
        #expect(listed.status == 0 && listed.out.contains("toy-claim"))
        let noCatalogue = try Self.run(["list", "--catalogue", folder.appendingPathComponent("absent").path])
        #expect(noCatalogue.status == 2 && noCatalogue.err.contains("error:"))
    }

    @Test(.enabled(if: binary != nil)) func badOptionsAreUsageErrors() throws {
        for args in [["verify", "--trial", "3"], ["verify", "--workers", "0"], ["verify", "--seed", "banana"], ["verify", "--profile", "weekly"],
                     ["report", "--runs", "0"], ["compare", "only-one.json"], ["merge"]] {
            let r = try Self.run(args)
            #expect(r.status != 0 && r.status != 1, "\(args) exited \(r.status)")
            #expect(r.err.lowercased().contains("error"), "\(args): \(r.err)")
        }
    }

    @Test(.enabled(if: binary != nil)) func seedsWorkersAndTheCatalogueAreCheckedAsANewcomerTypesThem() throws {
        let negative = try Self.run(["verify", "--seed", "-5", "--claim", "icl-identity"])
        #expect(negative.status == 64 && negative.err.contains("got '-5'"), "\(negative.err)")
        let many = try Self.run(["list", "--properties", try Self.catalogue().path])
        #expect(many.status == 0 && many.out.contains("toy-claim"))
        let help = try Self.run(["--help"])
        #expect(help.out.contains("64 a usage error"))
        #expect(try Self.run(["verify", "--help"]).out.contains("--properties"))
    }

    @Test(.enabled(if: binary != nil)) func aCatalogueAWorkerCountOrAThresholdThatCannotWorkIsRefusedUpFront() throws {
        let folder = try Self.catalogue()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A real claim file with a dimension range no machine can hold, and one with a vacuous threshold.
        let properties = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Properties")
        var landscape = try String(contentsOf: properties.appendingPathComponent("landscape.yaml"), encoding: .utf8)
        landscape = landscape.replacingOccurrences(of: "dimension: [2, 24]", with: "dimension: [2, 100000]")
        try landscape.write(to: folder.appendingPathComponent("landscape.yaml"), atomically: true, encoding: .utf8)
        var linear = try String(contentsOf: properties.appendingPathComponent("linear-sgd.yaml"), encoding: .utf8)
        linear = linear.replacingOccurrences(of: "  threshold: 2\n", with: "  threshold: 10\n")
        try linear.write(to: folder.appendingPathComponent("linear-sgd.yaml"), atomically: true, encoding: .utf8)
        let huge = try Self.run(["verify", "--properties", folder.path, "--claim", "landscape"])
        #expect(huge.status == 2 && huge.err.contains("instances.dimension") && huge.err.contains("GiB per trial"), "\(huge.err)")
        let vacuous = try Self.run(["verify", "--properties", folder.path, "--claim", "linear-sgd"])
        #expect(vacuous.status == 2 && vacuous.err.contains("outside the statistic's bounds"), "\(vacuous.err)")
        let capped = try Self.run(["verify", "--workers", "100000", "--claim", "icl-identity"])
        #expect(capped.status == 0 && capped.err.contains("capped at"), "\(capped.err)")
    }

    @Test(.enabled(if: binary != nil)) func compareRefusesAProfileMismatchAndWarnsOnASharedSeed() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let quick = try StandIns.harness(seed: 1).run(StandIns.claims())
        var nightly = quick
        nightly.profile = .nightly
        let a = folder.appendingPathComponent("quick.json"), b = folder.appendingPathComponent("nightly.json")
        try AtomicWriter.write(quick.encoded(), to: a)
        try AtomicWriter.write(nightly.encoded(), to: b)
        let refused = try Self.run(["compare", b.path, a.path])
        #expect(refused.status == 2 && refused.err.contains("profile nightly") && refused.err.contains("--allow-profile-mismatch"), "\(refused.err)")
        let allowed = try Self.run(["compare", "--allow-profile-mismatch", b.path, a.path])
        #expect(allowed.status == 0 && allowed.out.contains("warning: profile mismatch") && allowed.out.contains("both runs used seed 1"), "\(allowed.out)")
    }

    @Test(.enabled(if: binary != nil)) func theReproduceBlockNamesTheSeedTheProfileAndTheOutput() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("nightly-report")
        let r = try Self.run(["report", "--profile", "nightly", "--claim", "icl-identity", "--no-experiments", "--output", out.path])
        #expect(r.status == 0, "\(r.err)")
        let results = try ResultsFile.read(from: out)
        let md = try String(contentsOf: out.appendingPathComponent("REPORT.md"), encoding: .utf8)
        #expect(md.contains("--profile nightly --seed \(results.rootSeed) --output \(out.path)"), "\(md.suffix(400))")
    }

    @Test(.enabled(if: binary != nil)) func outputsAreReservedBeforeAnyWork() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Unwritable: a path under a regular file. Refused up front, before any claim runs.
        let blocker = folder.appendingPathComponent("a-file")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: blocker)
        let unwritable = try Self.run(["verify", "--claim", "icl-identity", "--output", blocker.appendingPathComponent("results.json").path])
        #expect(unwritable.status == 2 && unwritable.err.contains("cannot write") && !unwritable.out.contains("icl-identity  pass"), "\(unwritable.err)")
        // In use: this process holds the output's lock, as a running report would.
        let busy = folder.appendingPathComponent("busy-report")
        let held = try OutputReservation(busy)
        let second = try Self.run(["report", "--claim", "icl-identity", "--no-experiments", "--output", busy.path])
        #expect(second.status == 2 && second.err.contains("being written by another run") && second.err.contains("process \(ProcessInfo.processInfo.processIdentifier)"), "\(second.err)")
        withExtendedLifetime(held) {}
        // Nightly shards without a seed would each draw their own: refused before any work.
        let shard = try Self.run(["verify", "--profile", "nightly", "--shard", "1/2"])
        #expect(shard.status == 64 && shard.err.contains("needs --seed"), "\(shard.err)")
    }

    @Test(.enabled(if: binary != nil)) func sigtermStopsARunThatStillWritesWhatItCompleted() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("terminated")
        let process = Process()
        process.executableURL = try #require(Self.binary)
        process.arguments = ["report", "--claim", "icl-sgd", "--claim", "linear-sgd", "--no-experiments", "--workers", "1", "--output", out.path]
        let progress = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = progress   // progress lines go to standard error
        try process.run()
        // Signal once the first claim has started (the handlers are installed by then), however slow the machine.
        var seen = ""
        while !seen.contains("started"), process.isRunning {
            let chunk = progress.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGTERM)
        Thread.detachNewThread { _ = progress.fileHandleForReading.readDataToEndOfFile() }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 143)
        let md = try String(contentsOf: out.appendingPathComponent("REPORT.md"), encoding: .utf8)
        #expect(md.contains("Interrupted") && md.contains("SIGTERM"))
    }

    @Test(.enabled(if: binary != nil)) func compareGatesOnRegressionsAndRejectsMalformedFiles() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try Self.resultsFiles(folder)
        let same = try Self.run(["compare", files.baseline.path, files.same.path])
        #expect(same.status == 0, "\(same.out)\(same.err)")
        #expect(same.out.contains("No regression"))
        let worse = try Self.run(["compare", files.baseline.path, files.worse.path])
        #expect(worse.status == 1)
        #expect(worse.out.contains("REGRESSION"))
        let malformed = folder.appendingPathComponent("bad.json")
        try Data("{\"schemaVersion\": 1, \"claims\": [".utf8).write(to: malformed)
        let bad = try Self.run(["compare", files.baseline.path, malformed.path])
        #expect(bad.status == 2 && bad.err.contains("bad.json") && bad.err.contains("not valid JSON"))
        let missing = try Self.run(["compare", files.baseline.path, folder.appendingPathComponent("absent.json").path])
        #expect(missing.status == 2 && missing.err.contains("absent.json"))
        let shard = try Self.run(["merge", malformed.path])
        #expect(shard.status == 2 && shard.err.contains("bad.json"))
        let notShard = try Self.run(["merge", files.baseline.path])
        #expect(notShard.status == 2 && notShard.err.contains("not a shard file"))
    }

    @Test(.enabled(if: binary != nil)) func reportFromResultsAndUnwritableFolders() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try Self.resultsFiles(folder)
        let out = folder.appendingPathComponent("report")
        let ok = try Self.run(["report", "--from", files.baseline.path, "--output", out.path])
        #expect(ok.status == 1)   // the stand-ins include a failing claim
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("REPORT.md").path))
        let blocker = folder.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let bad = try Self.run(["report", "--from", files.baseline.path, "--output", blocker.appendingPathComponent("report").path])
        #expect(bad.status == 2 && bad.err.contains("cannot write"))
    }
}
