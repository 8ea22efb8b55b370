import Foundation
import PropertyEngine
import Synchronization

/// Shows a run's progress on standard error: on a terminal, one line redrawn in place with the
/// current claim, trials done, elapsed time and an estimate of the time remaining (an upper
/// bound: sequential tests often stop before their budget); otherwise (CI logs, files) plain
/// lines, at most one every `plainInterval` seconds per claim plus one when each claim ends.
public final class ProgressDisplay: Sendable {
    private struct State {
        var claim = ""
        var position = 0
        var total = 0
        var started = ContinuousClock.now
        var lastDraw = ContinuousClock.now - .seconds(3600)
        var lineOpen = false
    }
    private let state = Mutex(State())
    private let interactive: Bool
    private let plainInterval: Double
    private let sink: @Sendable (String) -> Void

    /// A display writing to `sink` (default: standard error), interactive if `interactive`
    /// (default: standard error is a terminal).
    public init(interactive: Bool? = nil, plainInterval: Double = 10,
                sink: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.interactive = interactive ?? (isatty(STDERR_FILENO) == 1)
        self.plainInterval = plainInterval
        self.sink = sink
    }

    /// Marks the start of claim `name`, the `position`-th of `total`.
    public func begin(_ name: String, position: Int, total: Int) {
        state.withLock {
            $0.claim = name; $0.position = position; $0.total = total
            $0.started = .now; $0.lastDraw = .now - .seconds(3600)
        }
        if !interactive { sink("[\(position)/\(total)] \(name): started\n") }
    }

    /// The engine's progress callback.
    public func update(_ p: TrialProgress) {
        let line: String? = state.withLock { s in
            if !interactive && p.completed == 0 { return nil }
            let now = ContinuousClock.now
            let sinceDraw = Self.seconds(now - s.lastDraw)
            guard sinceDraw >= (interactive ? 0.1 : plainInterval) || p.completed == p.target else { return nil }
            s.lastDraw = now
            let elapsed = Self.seconds(now - s.started)
            var text = "[\(s.position)/\(s.total)] \(p.property): "
            switch p.phase {
            case .trials:
                text += "\(p.completed)/\(p.target) trials, \(ReportFormat.duration(elapsed)) elapsed"
                if p.completed > 0 && p.completed < p.target {
                    let remaining = elapsed / Double(p.completed) * Double(p.target - p.completed)
                    text += ", ≤ ~\(ReportFormat.duration(remaining)) left"
                }
            case .shrinking:
                text += "shrinking a counterexample (\(p.completed)/\(p.target) evaluations), \(ReportFormat.duration(elapsed)) elapsed"
            }
            if interactive { s.lineOpen = true }
            return text
        }
        guard let line else { return }
        sink(interactive ? "\r\u{1B}[2K" + line : line + "\n")
    }

    /// Marks the end of the current claim with its verdict.
    public func end(_ summary: String) {
        let (open, elapsed) = state.withLock { s -> (Bool, Double) in
            let open = s.lineOpen
            s.lineOpen = false
            return (open, Self.seconds(ContinuousClock.now - s.started))
        }
        let prefix = state.withLock { "[\($0.position)/\($0.total)] " }
        sink((open ? "\r\u{1B}[2K" : "") + prefix + summary + " (\(ReportFormat.duration(elapsed)))\n")
    }

    /// A free-form message on its own line.
    public func note(_ message: String) {
        let open = state.withLock { s -> Bool in defer { s.lineOpen = false }; return s.lineOpen }
        sink((open ? "\r\u{1B}[2K" : "") + message + "\n")
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
