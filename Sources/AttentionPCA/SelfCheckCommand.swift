import ArgumentParser
import Foundation
import PaperClaims
import PropertyEngine
import Reports

/// `attention-pca self-check`: plants every known implementation bug in turn and shows that
/// the claim suite catches each one (exit 1 if one slips through).
struct SelfCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "self-check",
        abstract: "Run the claims against planted implementation bugs and show that each is caught.",
        discussion: """
        Every wrong model some claim lists under negative-controls is planted
        under those claims (built beside the production code, never by editing
        it), and the engine's trial loop is run with shared trial streams under
        every claim. The table gives, per bug and claim: the verdict, the trials
        it took, the evidence (shrunk counterexample, statistic or health
        failure) and the command that reproduces it. --power also surveys every
        trial of each control's budget and prints the claim's power against it
        (required: >= 0.999, see docs/CONTROLS.md).

        Exit status: 0 every bug caught (and, with --power, every power >= 0.999);
        1 a bug slipped through or a power fell short; 2 bad input.
        """)

    @OptionGroup var options: RunOptions

    @Flag(help: "Also compute each claim's power against each wrong model (surveys every trial of the budget; slower).")
    var power = false

    @Option(help: "Plant only this bug (repeat for several; default: all). Ids as in the table.")
    var bug: [String] = []

    @Flag(help: "Plant only the wrong models (skip the engine faults, which do not depend on the numerics).")
    var wrongModelsOnly = false

    @Option(help: "Write SELF-CHECK.md and self-check.json into this folder.")
    var output: String?

    /// The least power a control may have.
    static let requiredPower = 0.999

    func run() throws {
        var status = ExitCode.success
        try guarded {
            let catalogue = try options.loadCatalogue()
            var bugs = PlantedBug.all(in: catalogue)
            if !bug.isEmpty {
                let unknown = bug.filter { id in !bugs.contains { $0.id == id } }
                guard unknown.isEmpty else {
                    throw ValidationError("unknown bug \(unknown.joined(separator: ", ")); known: \(bugs.map(\.id).joined(separator: ", "))")
                }
                bugs = bugs.filter { bug.contains($0.id) }
            }
            if wrongModelsOnly { bugs = bugs.filter { if case .wrongModel = $0.plant { true } else { false } } }
            let outputURL = output.map { URL(fileURLWithPath: $0, isDirectory: true) }
            if let outputURL { try AtomicWriter.checkWritable(folder: outputURL) }
            let reservation = try outputURL.map { try OutputReservation($0.appendingPathComponent("self-check.json")) }
            defer { withExtendedLifetime(reservation) {} }
            let display = ProgressDisplay()
            let settings = options.settings(cancellation: installInterruptHandler(display))
            let table = try runSelfCheck(catalogue, bugs: bugs, settings: settings, withPower: power, options: options, display: display)
            print(table.markdown)
            if let outputURL {
                try AtomicWriter.write(Data(table.markdown.utf8), to: outputURL.appendingPathComponent("SELF-CHECK.md"))
                try AtomicWriter.write(JSONFormat.data(table), to: outputURL.appendingPathComponent("self-check.json"))
                print("wrote \(outputURL.path)/SELF-CHECK.md and self-check.json")
            }
            if settings.cancellation?.isCancelled == true { status = interruptionStatus; return }
            if !table.allCaught || (power && !table.allPowerful) { status = Exit.failure }
        }
        if status != .success { throw status }
    }
}

/// Plants `bugs` under `catalogue`'s claims (shrinks capped at 50 evaluations: each re-runs a
/// whole training run) and tabulates the outcomes; shared by `self-check` and `report --self-check`.
func runSelfCheck(_ catalogue: ClaimCatalogue, bugs: [PlantedBug], settings: Settings, withPower: Bool,
                  options: RunOptions, display: ProgressDisplay) throws -> SelfCheckTable {
    var planted = settings
    planted.shrinkBudget = min(planted.shrinkBudget, 50)
    let started = Date()
    let outcomes = try MutationSelfCheck.run(catalogue, bugs: bugs, settings: planted, withPower: withPower) { display.note("planting \($0)") }
    return SelfCheckTable(outcomes: outcomes, bugs: bugs, profile: settings.profile, seed: settings.rootSeed,
                          seconds: Date().timeIntervalSince(started), requiredPower: SelfCheckCommand.requiredPower,
                          command: typedCommand, environment: RunEnvironment.current(workers: options.workers))
}
