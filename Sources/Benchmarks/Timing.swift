import Foundation

/// The median wall time of `repetitions` runs of `body` (given the repetition index).
func median(repetitions: Int, _ body: (Int) -> Void) -> Duration {
    let clock = ContinuousClock()
    body(repetitions)  // warm-up (an index no measured run uses): page in buffers and tables
    var times = [Duration]()
    for t in 0..<repetitions { times.append(clock.measure { body(t) }) }
    times.sort()
    return times[times.count / 2]
}

/// A duration in seconds.
func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Three significant digits.
func format(_ x: Double) -> String { String(format: "%.3g", x) }
