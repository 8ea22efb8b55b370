import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PaperClaims
import PropertyEngine
import Reports
import Testing

/// The report folder: reproducible bytes, well-formed SVG, atomic replacement, interruption.
struct ReportTests {
    /// Replaces durations ("12.3 s", "850 ms", "4 min 05 s") and ISO timestamps by placeholders.
    static func normalised(_ text: String) -> String {
        var t = text
        for pattern in [#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"#, #"\d+ h \d{2} min"#, #"\d+ min \d{2} s"#, #"\d+(\.\d+)? (ms|s)\b"#,
                        #""(durationSeconds|elapsedSeconds|slowestTrialSeconds|seconds)" : [0-9.e+-]+"#] {
            t = t.replacingOccurrences(of: pattern, with: "<T>", options: .regularExpression)
        }
        return t
    }

    func writeReport(to folder: URL, workers: Int) throws -> ResultsFile {
        let harness = StandIns.harness(workers: workers)
        let results = try harness.run(StandIns.claims(), experiments: [StandIns.experiment],
                                      options: ExperimentOptions(seed: harness.settings.rootSeed, runs: 4, sweepStride: 1, workers: workers))
        try ReportWriter().write(results, to: folder)
        return results
    }

    @Test func aReportIsByteIdenticalAcrossRunsApartFromTimes() throws {
        let base = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: base) }
        let a = base.appendingPathComponent("a"), b = base.appendingPathComponent("b")
        let first = try writeReport(to: a, workers: 1)
        _ = try writeReport(to: b, workers: 2)
        let files = try FileManager.default.subpathsOfDirectory(atPath: a.path).sorted()
        #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: b.path).sorted()))
        #expect(files.contains("REPORT.md") && files.contains("results.json") && files.contains("figures/toy.svg") && files.contains("figures/toy-vs-L.svg"))
        for file in files where file.contains(".") {
            let x = try String(contentsOf: a.appendingPathComponent(file), encoding: .utf8)
            let y = try String(contentsOf: b.appendingPathComponent(file), encoding: .utf8)
            if file.hasSuffix(".svg") { #expect(x == y, "\(file) differs") } else { #expect(Self.normalised(x) == Self.normalised(y), "\(file) differs") }
        }
        // The report says what the issue asks for.
        let md = try String(contentsOf: a.appendingPathComponent("REPORT.md"), encoding: .utf8)
        for needle in ["## Summary", "| Claim | Paper | Verdict | Statistic [interval] | α | β | Trials | Wall time |", "## Environment",
                       "Test CPU", "| Attention kernel | Test kernel", "git 0000000 (clean)", "Instance space actually covered", "*Derivation:* Integers are exact.",
                       "**Counterexample**", "attention-pca verify --claim sum-small --profile quick --seed \(first.rootSeed) --trial",
                       "![Alignment against iterations](figures/toy.svg)", "❌ fail", "✅ pass"] {
            #expect(md.contains(needle), "REPORT.md lacks \(needle)")
        }
        // results.json reads back to the same value.
        let decoded = try ResultsFile.read(from: a)
        #expect(decoded.claims.map { $0.result.withoutTiming() } == first.claims.map { $0.result.withoutTiming() })
        #expect(decoded.schemaVersion == ResultsFile.currentSchemaVersion)
    }

    /// The sections of REPORT.md by their "### " heading.
    static func sections(_ md: String) -> [String: String] {
        var out: [String: String] = [:]
        for chunk in md.components(separatedBy: "\n### ").dropFirst() {
            let heading = String(chunk.prefix { $0 != "\n" })
            out[heading] = chunk
        }
        return out
    }

    @Test func everyStatementOfTheReportIsTrueAsPrinted() throws {
        let base = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: base) }
        let results = try writeReport(to: base, workers: 2)
        let md = try String(contentsOf: base.appendingPathComponent("REPORT.md"), encoding: .utf8)
        // α as applied: each statistical claim's own α, and their sum as the family-wise bound.
        let applied = results.claims.map(\.result).filter { $0.kind == .statistical }.map(\.falseFailRate)
        #expect(applied.count == 2)
        #expect(md.contains("at most Σα = \(ReportFormat.number(applied.reduce(0, +)))"))
        // A passing rate claim with unfavourable trials shows no failing trials and no failure replay.
        let coin = try #require(results.claims.first { $0.entry.id == "coin-rate" }?.result)
        #expect(coin.decision == .holds && !coin.failingTrials.isEmpty)
        let sections = Self.sections(md)
        let coinSection = try #require(sections["coin-rate"])
        #expect(!coinSection.contains("Trials that counted against the claim"))
        #expect(!coinSection.contains("Reproduce the failing trial"))
        #expect(coinSection.contains("Rerun this claim:"))
        // The failing universal claim points at its counterexample's trial.
        #expect(try #require(sections["sum-small"]).contains("Reproduce the counterexample's trial:"))
        // Coverage shares are shares of trials.
        for event in coin.coverage.events {
            let share = String(format: "%.1f%%", 100 * Double(event.count) / Double(coin.trials))
            #expect(coinSection.contains("| \(event.label) | \(event.count) | \(share) |"), "share of \(event.label)")
        }
        #expect(coin.coverage.trials == coin.trials)
        // Experiments state the direction and the budget separately, and no number printed as "not converged".
        #expect(md.contains("| Experiment | Runs (paper) | Direction (the paper's claim) | Norm | Risk | Published budget | Wall time |"))
        #expect(!md.contains("not converged ("))
        // The Reproduce block names the seed and profile.
        #expect(md.contains("--seed \(results.rootSeed)") || md.contains("PROPERTY_SEED=\(results.rootSeed)") || results.command.contains("--seed \(results.rootSeed)"))
    }

    final class XMLCheck: NSObject, XMLParserDelegate {
        var elements: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append(name)
        }
    }

    @Test func everySVGParsesAsXML() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try writeReport(to: folder.appendingPathComponent("r"), workers: 2)
        let figures = folder.appendingPathComponent("r/figures")
        let names = try FileManager.default.contentsOfDirectory(atPath: figures.path).filter { $0.hasSuffix(".svg") }
        #expect(names.count == 2)
        for name in names {
            let data = try Data(contentsOf: figures.appendingPathComponent(name))
            let parser = XMLParser(data: data)
            let check = XMLCheck()
            parser.delegate = check
            #expect(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(check.elements.first == "svg")
            #expect(check.elements.contains("path") && check.elements.contains("text"))
        }
    }

    @Test func aFailedWriteLeavesThePreviousReportInPlace() throws {
        let base = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: base) }
        let target = base.appendingPathComponent("report")
        try AtomicWriter.writeFolder(at: target) { try Data("good\n".utf8).write(to: $0.appendingPathComponent("REPORT.md")) }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try AtomicWriter.writeFolder(at: target) { folder in
                try Data("half".utf8).write(to: folder.appendingPathComponent("REPORT.md"))
                throw Boom()
            }
        }
        #expect(try String(contentsOf: target.appendingPathComponent("REPORT.md"), encoding: .utf8) == "good\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == ["report"])   // no temporary left behind
    }

    @Test func anUnwritableOutputFolderIsAClearError() throws {
        let base = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let results = try StandIns.harness().run([])
        #expect(throws: ReportsError.self) { try ReportWriter().write(results, to: file.appendingPathComponent("report")) }
        #expect(throws: ReportsError.self) { try AtomicWriter.write(Data(), to: file.appendingPathComponent("results.json")) }
    }

    @Test func anInterruptedRunKeepsCompletedTrialsAndSaysSo() throws {
        let flag = CancellationFlag()
        var harness = StandIns.harness(cancellation: flag)
        harness.display = ProgressDisplay(interactive: false, sink: { _ in })
        // Cancel from the progress stream once the first claim has run two batches.
        let display = ProgressDisplay(interactive: false, sink: { _ in })
        harness.display = display
        var settings = harness.settings
        settings.progress = { p in if p.property == "sum-bounded" && p.completed >= 128 { flag.cancel() } }
        harness.settings = settings
        harness.display = nil
        let results = try harness.run(StandIns.claims())
        #expect(results.interrupted)
        #expect(results.claims.count == 1)
        #expect(results.claims[0].result.trials == 128)
        #expect(results.claims[0].result.interrupted == true)
        #expect(results.notRun.map(\.id) == ["sum-small", "coin-rate", "uniform-mean"])
        let md = ReportWriter().markdown(results)
        #expect(md.contains("**Interrupted.**"))
    }

    @Test func progressIsPlainLinesOffATerminal() {
        let lines = LinesBox()
        let display = ProgressDisplay(interactive: false, plainInterval: 0, sink: { lines.append($0) })
        display.begin("c", position: 1, total: 2)
        display.update(TrialProgress(property: "c", phase: .trials, completed: 64, target: 128))
        display.end("c: PASS after 128 trials")
        let text = lines.text
        #expect(!text.contains("\r") && !text.contains("\u{1B}"))
        #expect(text.contains("[1/2] c: 64/128 trials") && text.contains("left"))
        #expect(text.contains("[1/2] c: PASS after 128 trials"))
    }
}

/// Collects printed lines across threads.
final class LinesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined() }
}
