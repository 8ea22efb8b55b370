import ArgumentParser
import Dispatch
import Foundation
import PaperClaims
import PropertyEngine
import Reports

/// Exit statuses of every command (documented in `attention-pca --help`).
enum Exit {
    static let failure = ExitCode(1)
    static let badInput = ExitCode(2)
    static let inconclusive = ExitCode(3)
    static let interrupted = ExitCode(130)
    static let terminated = ExitCode(143)
}

/// Runs a command body, turning the harness's typed errors into `error: …` on standard error
/// and exit status 2, so bad input never crashes and always names the problem.
func guarded(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as ValidationError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw Exit.badInput
    }
}

/// 143 if SIGTERM stopped the run, else 130 (Ctrl-C).
var interruptionStatus: ExitCode { receivedSignal.number == SIGTERM ? Exit.terminated : Exit.interrupted }

/// The exit status for a finished run.
func exitStatus(_ results: ResultsFile) -> ExitCode {
    if results.interrupted { return interruptionStatus }
    switch results.decision {
    case .holds: return .success
    case .fails, .error: return Exit.failure
    case .inconclusive: return Exit.inconclusive
    }
}

/// Installs handlers for Ctrl-C (SIGINT) and SIGTERM (what `timeout`, a cancelled CI job and
/// Slurm's time limit send): the first signal sets the returned flag (the run stops after the
/// current batch and writes what it completed, exiting 130 or 143); a second one exits at once.
func installInterruptHandler(_ display: ProgressDisplay) -> CancellationFlag {
    let flag = CancellationFlag()
    for (number, name) in [(SIGINT, "interrupt"), (SIGTERM, "SIGTERM")] {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            if flag.isCancelled {
                FileHandle.standardError.write(Data("\n\(name) again: exiting without writing results\n".utf8))
                exit(128 + number)
            }
            receivedSignal.store(number)
            flag.cancel()
            display.note("\n\(name): finishing the current batch of trials (experiment runs stop at their next step), then writing "
                + "everything completed; it stays in the journal for resuming (send it again to quit at once)")
        }
        source.resume()
        interruptSources.append(source)
    }
    return flag
}

/// The signal that stopped the run (0: none), read for the exit status.
let receivedSignal = SignalRecord()

/// A thread-safe record of the last signal received.
final class SignalRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int32 = 0
    /// Records `number`.
    func store(_ number: Int32) { lock.lock(); value = number; lock.unlock() }
    /// The last signal recorded (0: none).
    var number: Int32 { lock.lock(); defer { lock.unlock() }; return value }
}

/// Keeps the signal sources alive for the life of the process (touched only by the main thread).
nonisolated(unsafe) var interruptSources: [any DispatchSourceSignal] = []

/// The command line as typed, for the results file.
var typedCommand: String {
    CommandLine.arguments.map { arg in
        arg.contains(" ") || arg.isEmpty ? "'\(arg)'" : arg
    }.joined(separator: " ")
}

/// The command that reproduces this run: the typed command with every option that a rerun could
/// resolve differently (the profile, the seed the run drew, the output) replaced by its value.
/// `profile` is nil for commands that have no `--profile` option (`reproduce` always runs the paper's protocol).
func reproducingCommand(profile: Profile?, seed: UInt64, output: String?) -> String {
    let replaced: Set<String> = ["--profile", "--seed", "--output"]
    var kept: [String] = []
    var arguments = CommandLine.arguments[...]
    while let argument = arguments.popFirst() {
        let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
        if replaced.contains(name) {
            if !argument.contains("=") { _ = arguments.popFirst() }
            continue
        }
        kept.append(argument)
    }
    if let profile { kept += ["--profile", profile.rawValue] }
    kept += ["--seed", String(seed)]
    if let output { kept += ["--output", output] }
    return kept.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
}

/// The paper's experiments as runnable experiments.
var availableExperiments: [ExperimentUnderTest] { PaperClaims.experiments.map(ExperimentUnderTest.init) }

/// A one-line-per-claim table for the terminal.
func summaryTable(_ results: ResultsFile) -> String {
    var lines: [String] = []
    let width = max(5, (results.claims.map(\.entry.id.count) + results.notRun.map(\.id.count)).max() ?? 5)
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    lines.append("\(pad("claim", width))  \(pad("verdict", 12))  \(pad("trials", 7))  statistic [interval]")
    for c in results.claims {
        let r = c.result
        var stat = r.statistic.map(ReportFormat.number) ?? (r.kind == .universal ? (r.counterexample == nil ? "no counterexample" : "counterexample") : "–")
        if let i = r.interval { stat += " [\(ReportFormat.number(i.lower)), \(ReportFormat.number(i.upper))]" }
        lines.append("\(pad(c.entry.id, width))  \(pad(ReportFormat.verdict(r), 12))  \(pad(String(r.trials), 7))  \(stat)")
    }
    for n in results.notRun { lines.append("\(pad(n.id, width))  \(pad("not run", 12))  \(pad("0", 7))  \(n.reason)") }
    lines.append("profile \(results.profile.rawValue), seed \(results.rootSeed), \(ReportFormat.duration(results.durationSeconds))")
    return lines.joined(separator: "\n")
}

/// The checkpoint of a run writing to `output`: `<output>.journal`, created, or resumed if it
/// exists (refused if it belongs to another run). Says on standard error what it resumes.
func openJournal(for output: URL, header: RunJournal.Header) throws -> RunJournal {
    let journal = try RunJournal(at: RunJournal.location(for: output), header: header)
    if journal.resumedUnits > 0 || journal.droppedTornLine {
        let torn = journal.droppedTornLine ? " (a record torn by a kill was dropped)" : ""
        FileHandle.standardError.write(Data("resuming from \(journal.url.path): \(journal.resumedUnits) completed units of work\(torn)\n".utf8))
    }
    return journal
}

/// The seed to run with: the one given, else that of an existing journal at `output` (so that
/// rerunning a nightly command resumes with the seed it drew), else nil (the profile's).
func resumedSeed(given: UInt64?, output: String?) -> UInt64? {
    if let given { return given }
    guard let output, let header = RunJournal.header(at: RunJournal.location(for: URL(fileURLWithPath: output))) else { return nil }
    FileHandle.standardError.write(Data("note: resuming with seed \(header.rootSeed), the seed of the journal of \(output)\n".utf8))
    return header.rootSeed
}

/// The output that `--resume PATH` and `--output PATH` name (they must agree); `--resume` requires a journal.
func resumableOutput(output: String?, resume: String?) throws -> String? {
    guard let resume else { return output }
    if let output, output != resume { throw ValidationError("--resume \(resume) and --output \(output) name different outputs") }
    let journal = RunJournal.location(for: URL(fileURLWithPath: resume))
    guard FileManager.default.fileExists(atPath: journal.path) else {
        throw ReportsError.invalidRequest("nothing to resume: no journal \(journal.path) (a run writes one beside its output and deletes it once complete)")
    }
    return resume
}
